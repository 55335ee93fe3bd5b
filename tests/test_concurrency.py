"""One Checker shared by 16 threads, and `check_many` across processes, judge exactly as one
sequential run does.

CI checks 2,000 generated posts; `pytest -m slow tests/test_concurrency.py` checks 10,000.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import bench_corpus

from safepost import Checker, Post, Verdict, hookimpl, jobs
from safepost.config import Config
from safepost.jobs import FixedTrends, check_in_parallel

THREADS, CHUNK = 16, 25
PUBLISH_AT = datetime(2024, 5, 1, 12, tzinfo=UTC)


CORPUS = bench_corpus()
SNAPSHOT = CORPUS.snapshot(200)


def queue(count: int) -> list[Post]:
    """Return `count` varied posts: three languages, some declared, some sponsored."""
    posts = []
    for index, record in enumerate(CORPUS.records(count)):
        posts.append(Post(text=record["text"], id=record["id"], lang=record.get("lang"),
                          sponsored=index % 11 == 0, publish_at=PUBLISH_AT))
    return posts


def sequential(posts: list[Post]) -> list[Verdict]:
    """Return the verdicts of one fresh Checker, one post after another."""
    return list(Checker().check_many(posts, trends=SNAPSHOT))


def threaded(posts: list[Post]) -> list[Verdict]:
    """Return the verdicts of one fresh Checker shared by THREADS threads started together.

    The Checker is fresh so that the threads also race to compile each language. Each thread
    takes every THREADS-th chunk and checks it with `check_many` or post by post, in turn.
    """
    shared = Checker()
    start = threading.Barrier(THREADS)
    chunks = [range(i, min(i + CHUNK, len(posts))) for i in range(0, len(posts), CHUNK)]
    verdicts: list[Verdict | None] = [None] * len(posts)

    def work(worker: int) -> None:
        start.wait()
        for number, chunk in enumerate(chunks[worker::THREADS]):
            mine = [posts[i] for i in chunk]
            if number % 2:
                found = [shared.check(post, trends=SNAPSHOT) for post in mine]
            else:
                found = list(shared.check_many(mine, trends=SNAPSHOT))
            for i, verdict in zip(chunk, found, strict=True):
                verdicts[i] = verdict

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(work, range(THREADS)))
    return verdicts  # type: ignore[return-value]


def parallel(posts: list[Post], local: Checker) -> list[Verdict]:
    """Return the verdicts of `check_in_parallel` with two workers and `local` as the caller's."""
    return list(check_in_parallel(posts, jobs=2, config=Config(),
                                  trends=FixedTrends(SNAPSHOT, "used"), local=local))


def assert_same(found: list[Verdict], expected: list[Verdict]) -> None:
    """Compare verdict lists, naming the first post that differs."""
    assert len(found) == len(expected)
    for index, (got, want) in enumerate(zip(found, expected, strict=True)):
        assert got == want, f"post {index} ({want.post_id}) differs"


@pytest.fixture(scope="module")
def posts() -> list[Post]:
    return queue(2_000)


@pytest.fixture(scope="module")
def expected(posts: list[Post]) -> list[Verdict]:
    verdicts = sequential(posts)
    decisions = {v.decision for v in verdicts}
    assert decisions == {"publish", "review", "hold"}, "the queue must exercise every decision"
    assert {v.lang for v in verdicts} >= {"en", "nb", "bg"}
    return verdicts


def test_sixteen_threads_sharing_a_checker_judge_as_one(posts, expected) -> None:
    assert_same(threaded(posts), expected)


class HoldEverything:
    """A plugin no worker could build for itself: it holds every post."""

    @hookimpl
    def decide(self, findings, post, config):
        return "hold"


def test_fork_server_workers_judge_as_one_process(posts, expected, monkeypatch) -> None:
    monkeypatch.setattr(jobs, "FORK_IS_SAFE", False)
    local = Checker(trends=FixedTrends(SNAPSHOT, "used"))
    assert_same(parallel(posts, local), expected)


def forked_workers_judge_as_one_process() -> None:
    """Run in a process with no other thread: forked workers judge as one process does,
    with the caller's own Checker."""
    assert threading.active_count() == 1, "workers are forked only while no other thread runs"
    posts = queue(1_000)
    local = Checker(trends=FixedTrends(SNAPSHOT, "used"))
    assert_same(parallel(posts, local), sequential(posts))
    holding = Checker(plugins=[HoldEverything()], trends=FixedTrends(SNAPSHOT, "used"))
    found = parallel(posts[:600], holding)
    assert [v.post_id for v in found] == [p.id for p in posts[:600]]
    assert {v.decision for v in found} == {"hold"}


def test_forked_workers_judge_as_one_process() -> None:
    """pytest's loopback HTTP server is a thread, so the forking runs in a fresh interpreter."""
    script = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
              "import test_concurrency; test_concurrency.forked_workers_judge_as_one_process()")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         stdin=subprocess.DEVNULL, timeout=600, check=False)
    assert run.returncode == 0, run.stderr


@pytest.mark.slow
def test_sixteen_threads_judge_ten_thousand_posts_as_one() -> None:
    posts = queue(10_000)
    assert_same(threaded(posts), sequential(posts))
