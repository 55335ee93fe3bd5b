"""Check a stream of posts across worker processes, in input order, with bounded memory.

Workers check chunks of posts with a Checker like this process's own. At most two chunks
per worker are in flight, so memory does not grow with the input. Replies are checked
in this process, in order: `reply.canned` remembers what earlier replies said, and that
memory must see every reply of the run, as it does with one process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .families.replies import is_reply
from .models import Post, TrendSnapshot, TrendStatus, Verdict

if TYPE_CHECKING:
    from .checker import Checker
    from .config import Config

CHUNK_SIZE = 128
IN_FLIGHT_PER_JOB = 2
# Elsewhere a forked process may hang in a system library (macOS) or cannot fork (Windows).
FORK_IS_SAFE = sys.platform == "linux"

_worker: Checker | None = None


@dataclass(frozen=True)
class FixedTrends:
    """A trend source that always answers with one snapshot, fetched once for the whole run."""

    found: TrendSnapshot | None
    status: TrendStatus

    def snapshot(self) -> tuple[TrendSnapshot | None, TrendStatus]:
        """Return the snapshot and its status."""
        return self.found, self.status


def job_count(jobs: int) -> int:
    """Return the number of processes `--jobs` asks for: 0 means one per usable core."""
    if jobs > 0:
        return jobs
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def check_in_parallel(
    posts: Iterable[Post], *, jobs: int, config: Config, trends: FixedTrends | None,
    local: Checker,
) -> Iterator[Verdict]:
    """Yield the verdicts of `posts` in input order, checked by `jobs` worker processes.

    `local` checks the replies; workers check with `local` itself or, where they cannot
    inherit it, with a Checker of their own built from `config` and `trends`.
    """
    pool = _pool(jobs, config, trends, local)
    pending: deque[tuple[list[Verdict | None], Future[list[Verdict]] | None]] = deque()
    try:
        for chunk in _chunks(posts, CHUNK_SIZE):
            pending.append(_submit(pool, chunk, local))
            while len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                yield from _collect(*pending.popleft())
        while pending:
            yield from _collect(*pending.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _pool(jobs: int, config: Config, trends: FixedTrends | None,
          local: Checker) -> ProcessPoolExecutor:
    """Return `jobs` worker processes ready to check posts.

    On Linux, while no other thread runs, they are forked from this process once `local`
    has compiled every language: they check from the start instead of each spending a
    second or two building a Checker, and they share its memory until they write to it.
    Otherwise each worker builds its own Checker.
    """
    if FORK_IS_SAFE and threading.active_count() == 1:
        local.rules()  # compiles every language, for the workers to inherit
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()  # a forked worker writes out what it inherits buffered
        return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_inherit_worker, initargs=(local,))
    return ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_start_worker,
                               initargs=(config, trends))


def _context() -> multiprocessing.context.BaseContext:
    """Return a fork server that has imported spaCy once, or fresh interpreters where none."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["safepost.checker"])
    return context


def _submit(pool: ProcessPoolExecutor, chunk: list[Post],
            local: Checker) -> tuple[list[Verdict | None], Future[list[Verdict]] | None]:
    """Check a chunk's replies here and now; send the other posts to a worker."""
    slots: list[Verdict | None] = [None] * len(chunk)
    replies = [i for i, post in enumerate(chunk) if is_reply(post)]
    for i, verdict in zip(replies, local.check_many(chunk[i] for i in replies), strict=True):
        slots[i] = verdict
    others = [post for post in chunk if not is_reply(post)]
    return slots, pool.submit(_check_chunk, others) if others else None


def _collect(slots: list[Verdict | None],
             future: Future[list[Verdict]] | None) -> Iterator[Verdict]:
    remote = iter(future.result() if future is not None else ())
    for verdict in slots:
        yield verdict if verdict is not None else next(remote)


def _chunks(posts: Iterable[Post], size: int) -> Iterator[list[Post]]:
    chunk: list[Post] = []
    for post in posts:
        chunk.append(post)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _inherit_worker(checker: Checker) -> None:
    """Check with the Checker this forked worker inherited.

    What it inherited is frozen, so the collector never walks it (nor copies its pages);
    the collector runs again even if start-up held it off in the parent.
    """
    global _worker
    _worker = checker
    gc.freeze()
    gc.enable()


def _start_worker(config: Config, trends: FixedTrends | None) -> None:
    """Build this worker's Checker once."""
    global _worker
    from .checker import Checker

    _worker = Checker(config, trends=trends)


def _check_chunk(posts: list[Post]) -> list[Verdict]:
    return list(_worker.check_many(posts))  # type: ignore[union-attr] - set by _start_worker
