"""Colour and progress appear only on a terminal: the CLI run on a pseudo-terminal and on pipes."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

pty = pytest.importorskip("pty")

HOLD = "\033[1;31mhold\033[0m"


def run(args: list[str], cwd: Path, *, tty_out: bool, tty_err: bool,
        env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run `python -m safepost` with stdout and stderr each on a pseudo-terminal or a pipe."""
    ends, masters = {}, {}
    for name, on_tty in (("out", tty_out), ("err", tty_err)):
        if on_tty:
            masters[name], ends[name] = pty.openpty()
        else:
            ends[name] = subprocess.PIPE
    process = subprocess.Popen([sys.executable, "-m", "safepost", *args], cwd=cwd,
                               stdout=ends["out"], stderr=ends["err"], stdin=subprocess.DEVNULL,
                               env={**os.environ, **(env or {})})
    for name in masters:
        os.close(ends[name])
    captured = {name: b"" for name in ("out", "err")}
    readers = {masters[n]: n for n in masters}
    readers.update({getattr(process, f"std{n}").fileno(): n
                    for n in ("out", "err") if n not in masters})
    while readers:
        ready, _, _ = select.select(list(readers), [], [], 60)
        if not ready:
            process.kill()
            raise AssertionError("the command did not finish within 60 s")
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # a pseudo-terminal whose other end closed
                chunk = b""
            if chunk:
                captured[readers[fd]] += chunk
            else:
                del readers[fd]
    code = process.wait(timeout=60)
    for fd in masters.values():
        os.close(fd)
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()
    return code, *(captured[n].decode("utf-8").replace("\r\n", "\n") for n in ("out", "err"))


@pytest.fixture
def risky(tmp_path: Path) -> Path:
    (tmp_path / "risky.txt").write_text("What the f*ck is this?\n", encoding="utf-8")
    return tmp_path


def test_text_output_is_coloured_on_a_terminal(risky: Path) -> None:
    code, out, _ = run(["check", "risky.txt", "--lang", "en"], risky, tty_out=True, tty_err=False)
    assert code == 1
    assert out.startswith(f"risky.txt:1: {HOLD} (risk high")
    assert "\033[31m^^^^\033[0m" in out
    assert "\033[31mhigh\033[0m profanity.fuck" in out


def test_text_output_through_a_pipe_has_no_colour(risky: Path) -> None:
    code, out, _ = run(["check", "risky.txt", "--lang", "en"], risky, tty_out=False, tty_err=False)
    assert code == 1
    assert out.startswith("risky.txt:1: hold (risk high")
    assert "\033" not in out


def test_no_color_turns_colour_off_on_a_terminal(risky: Path) -> None:
    _, out, _ = run(["check", "risky.txt", "--lang", "en"], risky, tty_out=True, tty_err=False,
                    env={"NO_COLOR": "1"})
    assert out.startswith("risky.txt:1: hold (risk high")
    assert "\033" not in out


def test_json_on_a_terminal_has_no_colour(risky: Path) -> None:
    _, out, _ = run(["check", "risky.txt", "--lang", "en", "--format", "json"], risky,
                    tty_out=True, tty_err=False)
    [record] = json.loads(out)
    assert record["verdict"]["decision"] == "hold"


@pytest.fixture
def queue(tmp_path: Path) -> Path:
    lines = [json.dumps({"text": f"Fresh bread number {n}, every morning", "lang": "en"})
             for n in range(250)]
    (tmp_path / "queue.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_progress_goes_to_stderr_on_a_terminal(queue: Path) -> None:
    code, out, err = run(["check", "queue.jsonl", "--format", "json"], queue, tty_out=False,
                         tty_err=True)
    assert code == 0, err
    assert len(json.loads(out)) == 250
    assert err.split("\r") == ["", "checked 200 posts", "checked 250 posts\n"]


def test_no_progress_when_stderr_is_not_a_terminal(queue: Path) -> None:
    code, out, err = run(["check", "queue.jsonl", "--format", "json"], queue, tty_out=True,
                         tty_err=False)
    assert code == 0
    assert err == ""
    assert "checked" not in out
