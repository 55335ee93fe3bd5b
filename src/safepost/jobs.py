"""Check a stream of posts across worker processes, in input order, with bounded memory.

Each worker builds its own Checker once and checks chunks of posts. At most two chunks
per worker are in flight, so memory does not grow with the input. Replies are checked
in this process, in order: `reply.canned` remembers what earlier replies said, and that
memory must see every reply of the run, as it does with one process.
"""

from __future__ import annotations

import multiprocessing
import os
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

    `local` checks the replies; workers build their Checker from `config` and `trends`.
    """
    pool = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_start_worker,
                               initargs=(config, trends))
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


def _start_worker(config: Config, trends: FixedTrends | None) -> None:
    """Build this worker's Checker once."""
    global _worker
    from .checker import Checker

    _worker = Checker(config, trends=trends)


def _check_chunk(posts: list[Post]) -> list[Verdict]:
    return list(_worker.check_many(posts))  # type: ignore[union-attr] - set by _start_worker
