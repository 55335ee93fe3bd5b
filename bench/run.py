"""Measure safepost side by side with the bare spaCy tokenizer, and print one table.

Run: python bench/run.py [--quick] [--markdown]

Every figure comes from one run on this machine over the corpus of bench/corpus.py
(seeded, so every run times the same texts): throughput of `check_many` with the bundled
packs and a 500-item trend snapshot as a ratio to `spacy.blank(lang).tokenizer.pipe` over
the same texts; `check` latency on 280-character posts; cold start and `--help` as
subprocesses (median of several runs); peak RSS of a subprocess checking 10,000 posts;
scaling with brand-policy terms, snapshot size and post length; and the CLI on 10,000
posts in one file with `--jobs 0` against `--jobs 1`. Throughputs are the best of a few
runs (one core); targets are printed beside the figures and never fail the run.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import corpus
import spacy

import safepost
from safepost import Checker
from safepost.config import Config
from safepost.models import TrendSnapshot

PYTHON = sys.executable
_TOKENIZERS: dict[str, object] = {}


@dataclass
class Row:
    """One line of the table: what was measured, the figure, the target and whether it is met."""

    metric: str
    value: str
    target: str = ""
    met: bool | None = None


@dataclass(frozen=True)
class Plan:
    """How much to measure: --quick trades precision for a run of a minute or two."""

    posts: int
    repeat: int
    latency_posts: int
    starts: int
    cli_posts: int
    scale_posts: int


FULL = Plan(posts=3000, repeat=3, latency_posts=1000, starts=7, cli_posts=10_000, scale_posts=1500)
QUICK = Plan(posts=600, repeat=1, latency_posts=300, starts=3, cli_posts=10_000, scale_posts=400)


def best_rate(count: int, run: Callable[[], object], repeat: int) -> float:
    """Return the best of `repeat` runs of `run`, in items per second."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return count / best


def warm_rate(count: int, run: Callable[[], object], repeat: int) -> float:
    """Run once to fill every cache, then return `best_rate`."""
    run()
    return best_rate(count, run, repeat)


def checking(checker: Checker, texts: Sequence[str],
             snapshot: TrendSnapshot | None) -> Callable[[], object]:
    """Return a function that checks all texts once."""
    return lambda: list(checker.check_many(texts, trends=snapshot))


def tokenizing(texts: Sequence[str], langs: Sequence[str]) -> Callable[[], object]:
    """Return a function that runs the bare tokenizer of each text's language over the texts."""
    for lang in set(langs) - set(_TOKENIZERS):
        _TOKENIZERS[lang] = spacy.blank(lang).tokenizer
    tokenizers = {lang: _TOKENIZERS[lang] for lang in set(langs)}
    groups = {lang: [t for t, code in zip(texts, langs, strict=True) if code == lang]
              for lang in tokenizers}
    return lambda: [list(tokenizers[lang].pipe(group)) for lang, group in groups.items()]


def throughput(plan: Plan, checker: Checker, snapshot: TrendSnapshot) -> list[Row]:
    """Compare check_many with the bare tokenizer on posts neither has seen before."""
    sets = [corpus.posts(plan.posts, tag=f"throughput-{run}") for run in range(plan.repeat + 1)]
    langs = [v.lang for v in checker.check_many(sets[0], trends=snapshot)]
    tokenizing(sets[0], langs)()
    rates = {"check": 0.0, "tokenize": 0.0}
    for texts in sets[1:]:
        started = time.perf_counter()
        langs = [v.lang for v in checker.check_many(texts, trends=snapshot)]
        rates["check"] = max(rates["check"], len(texts) / (time.perf_counter() - started))
        tokenize = tokenizing(texts, langs)
        rates["tokenize"] = max(rates["tokenize"], best_rate(len(texts), tokenize, 1))
    ratio = rates["check"] / rates["tokenize"]
    chars = sum(len(t) for texts in sets for t in texts) / sum(map(len, sets))
    return [
        Row(f"bare spaCy tokenizer, {plan.posts} unseen posts ({chars:.0f} chars avg), posts/s",
            f"{rates['tokenize']:,.0f}"),
        Row("check_many, bundled packs + 500-item snapshot, posts/s", f"{rates['check']:,.0f}"),
        Row("check_many ÷ bare tokenizer", f"{ratio:.2f}×", "≥ 0.5×", ratio >= 0.5),
    ]


def latency(plan: Plan, checker: Checker, snapshot: TrendSnapshot) -> list[Row]:
    """Time single `check` calls on 280-character posts."""
    texts = corpus.posts(plan.latency_posts, length=280, tag="latency")
    for text in texts[:50]:
        checker.check(text, trends=snapshot)
    times = []
    for text in texts:
        started = time.perf_counter()
        checker.check(text, trends=snapshot)
        times.append((time.perf_counter() - started) * 1e3)
    p50, p99 = statistics.quantiles(times, n=100)[49], statistics.quantiles(times, n=100)[98]
    return [Row("check latency p50, 280 chars, ms", f"{p50:.2f}"),
            Row("check latency p99, 280 chars, ms", f"{p99:.2f}", "≤ 5 ms", p99 <= 5)]


def wall(args: Sequence[str], runs: int, cwd: Path) -> float:
    """Return the median wall time of a command, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cold_start(plan: Plan, work: Path) -> list[Row]:
    """Time `safepost check one.txt` against `import spacy`, and `safepost --help`."""
    one = work / "one.txt"
    one.write_text("Fresh coffee and a new playlist for your Monday morning ☕\n", encoding="utf-8")
    check = [PYTHON, "-m", "safepost", "check", str(one)]
    # An installed wheel has its bytecode compiled by pip; an editable install under
    # PYTHONDONTWRITEBYTECODE would compile safepost's sources on every start instead.
    compileall.compile_dir(Path(safepost.__file__).parent, quiet=1)
    wall(check, 1, work)  # warm the file system cache
    spacy_s = wall([PYTHON, "-c", "import spacy"], plan.starts, work)
    check_s = wall(check, plan.starts, work)
    help_s = wall([PYTHON, "-m", "safepost", "--help"], plan.starts, work)
    ratio = check_s / spacy_s
    return [Row("python -c 'import spacy', s", f"{spacy_s:.2f}"),
            Row("safepost check one.txt, s", f"{check_s:.2f}"),
            Row("cold start ÷ import spacy", f"{ratio:.2f}×", "≤ 1.5×", ratio <= 1.5),
            Row("safepost --help, s", f"{help_s:.2f}", "≤ 0.3 s", help_s <= 0.3)]


def peak_rss(args: Sequence[str], cwd: Path) -> float:
    """Run a command in a fresh helper process and return its peak RSS, in MB."""
    probe = ("import resource, subprocess, sys; "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    found = subprocess.run([PYTHON, "-c", probe, *args], cwd=cwd, check=True,
                           capture_output=True, text=True)
    return int(found.stdout) / 1024


def cli(plan: Plan, work: Path) -> list[Row]:
    """Time the CLI on one .jsonl file with --jobs 1 and --jobs 0; measure peak RSS."""
    queue = corpus.write_jsonl(work / "queue.jsonl", plan.cli_posts)
    trends = work / "trends.json"
    trends.write_text(corpus.snapshot(500).model_dump_json(), encoding="utf-8")
    base = [PYTHON, "-m", "safepost", "check", str(queue), "--trends", str(trends),
            "--format", "json", "--exit-zero"]
    rss = peak_rss(base, work)
    one = wall([*base, "--jobs", "1"], 1, work)
    many = wall([*base, "--jobs", "0"], 1, work)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    n = plan.cli_posts
    return [Row(f"peak RSS, CLI checking {n:,} posts, MB", f"{rss:.0f}", "≤ 300 MB", rss <= 300),
            Row(f"CLI, {n:,} posts in one file, --jobs 1, posts/s", f"{n / one:,.0f}"),
            Row(f"CLI, {n:,} posts in one file, --jobs 0 ({cores} processes), posts/s",
                f"{n / many:,.0f}"),
            Row("CLI --jobs 0 ÷ --jobs 1", f"{one / many:.2f}×")]


def scaling(plan: Plan, checker: Checker, work: Path) -> list[Row]:
    """Throughput against policy terms, snapshot size and post length (warm caches)."""
    texts = corpus.posts(plan.scale_posts, tag="scaling")
    snapshot = corpus.snapshot(500)
    rows = []
    base = warm_rate(len(texts), checking(checker, texts, snapshot), plan.repeat)
    rows.append(Row("scaling (same posts repeated): bundled packs, 500 trends, posts/s",
                    f"{base:,.0f}"))
    for terms in (10, 1_000, 10_000):
        pack = corpus.policy_pack(work / f"policy-{terms}.yml", terms)
        policed = Checker(Config(packs=[pack]))
        rate = warm_rate(len(texts), checking(policed, texts, snapshot), plan.repeat)
        cost = 1 - rate / base
        rows.append(Row(f"+ {terms:,} brand-policy terms, posts/s (cost)",
                        f"{rate:,.0f} ({cost:+.0%})", "≤ 20 %" if terms == 10_000 else "",
                        cost <= 0.2 if terms == 10_000 else None))
    for size in (50, 5_000):
        rate = warm_rate(len(texts), checking(checker, texts, corpus.snapshot(size)), plan.repeat)
        rows.append(Row(f"{size:,}-item trend snapshot, posts/s", f"{rate:,.0f}"))
    per_char = {}
    for length in (50, 500, 5_000):
        sized = corpus.posts(max(20, plan.scale_posts * 50 // length), length=length, tag="length")
        chars = sum(map(len, sized))
        rate = warm_rate(chars, checking(checker, sized, snapshot), plan.repeat)
        per_char[length] = 1e6 / rate
        rows.append(Row(f"{length:,}-char posts, µs per char", f"{per_char[length]:.2f}"))
    growth = per_char[5_000] / per_char[50]
    rows.append(Row("cost per char, 5,000 ÷ 50 chars", f"{growth:.2f}×", "≤ 1× (linear or better)",
                    growth <= 1.05))
    return rows


def machine() -> str:
    """Describe the machine the figures come from."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                      if line.startswith("model name")), "")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} cores {model}; Python {platform.python_version()}, "
            f"spaCy {spacy.__version__}, {platform.system()}; load average {load:.2f}")


def render(rows: list[Row], markdown: bool) -> str:
    """Return the table as aligned text, or as Markdown."""
    marks = {True: "yes", False: "NO", None: ""}
    table = [("metric", "measured", "target", "met"),
             *[(r.metric, r.value, r.target, marks[r.met]) for r in rows]]
    if markdown:
        lines = ["| " + " | ".join(table[0]) + " |", "|---|--:|---|---|"]
        lines += ["| " + " | ".join(row) + " |" for row in table[1:]]
        return "\n".join(lines)
    widths = [max(len(row[c]) for row in table) for c in range(4)]
    return "\n".join("  ".join(cell.ljust(widths[c]) if c != 1 else cell.rjust(widths[c])
                               for c, cell in enumerate(row)).rstrip() for row in table)


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer posts and repeats")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    print(f"machine: {machine()}", flush=True)
    started = time.perf_counter()
    checker = Checker()
    snapshot = corpus.snapshot(500)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="safepost-bench-") as folder:
        work = Path(folder)
        for step in (lambda: throughput(plan, checker, snapshot),
                     lambda: latency(plan, checker, snapshot),
                     lambda: scaling(plan, checker, work),
                     lambda: cold_start(plan, work),
                     lambda: cli(plan, work)):
            rows += step()
    print(render(rows, args.markdown))
    print(f"({time.perf_counter() - started:.0f} s; load average now {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
