"""The pre-commit hook, installed with the real `pre-commit` tool from this checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False)


def test_hook_blocks_a_risky_post_and_lets_a_clean_one_through(tmp_path: Path) -> None:
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()
    repo = tmp_path / "content"
    repo.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(ROOT / ".pre-commit-home"),
           "GIT_AUTHOR_NAME": "Social Team", "GIT_AUTHOR_EMAIL": "social@example.com",
           "GIT_COMMITTER_NAME": "Social Team", "GIT_COMMITTER_EMAIL": "social@example.com"}
    env.pop("PYTHONPATH", None)
    git("init", "-q", cwd=repo, env=env)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n      - id: safepost\n",
        encoding="utf-8")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    installed = subprocess.run([*pre_commit, "install"], cwd=repo, env=env, capture_output=True,
                               text=True, check=False)
    assert installed.returncode == 0, installed.stderr

    (repo / "launch.md").write_text(
        "---\nlang: en\n---\nWhat the f*ck, our launch is finally here!\n", encoding="utf-8")
    git("add", ".", cwd=repo, env=env)
    blocked = git("commit", "-m", "Launch post", cwd=repo, env=env)
    assert blocked.returncode != 0
    output = blocked.stdout + blocked.stderr
    assert "launch.md:4: hold" in output
    assert "profanity.fuck" in output

    (repo / "launch.md").write_text(
        "---\nlang: en\n---\nOur launch is finally here!\n", encoding="utf-8")
    git("add", ".", cwd=repo, env=env)
    passed = git("commit", "-m", "Launch post", cwd=repo, env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
