"""The `safepost` command line. Heavy imports wait until a command needs them."""

from __future__ import annotations

import argparse
import gc
import itertools
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

if TYPE_CHECKING:
    from .checker import Checker
    from .formats import Checked
    from .models import Post

_T = TypeVar("_T")


class Exit(IntEnum):
    """Exit status of every command."""

    OK = 0
    FAILED = 1
    ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of all commands."""
    parser = argparse.ArgumentParser(
        prog="safepost", description="Check social-media posts before they are published.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check posts in files, folders or standard input")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders; - reads stdin")
    check.add_argument("--format", default="text",
                       help="text (default), json, or a plugin's format")
    check.add_argument("--trends", metavar="FILE|URL|PROVIDER",
                       help="a snapshot file, a URL serving one, "
                            "or provider names (comma-separated)")
    check.add_argument("--offline", action="store_true", help="never touch the network")
    _add_post_defaults(check)
    check.add_argument("--fail-on", choices=("review", "hold"), default="hold",
                       help="exit 1 when a post reaches this decision (default: hold)")
    check.add_argument("--config", metavar="FILE", help="safepost.toml or pyproject.toml")
    check.add_argument("--exit-zero", action="store_true",
                       help="exit 0 even when a post reaches --fail-on (errors still exit 2)")
    check.add_argument("--keep-going", action="store_true",
                       help="report unreadable posts and still check all the others")
    check.add_argument("--require-trends", action="store_true",
                       help="review every post when trends cannot be checked")
    check.add_argument("--write-verdicts", metavar="OUT.csv",
                       help="write a CSV input back with decision, risk and top-finding columns")
    check.add_argument("--baseline", metavar="FILE",
                       help="a saved --format json report: its findings do not fail the run again")
    check.add_argument("--diff", metavar="REF", help="check only posts changed since a git ref")
    check.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                       help="check in N processes (default: 1; 0: one per core)")

    rules = commands.add_parser("rules", help="list rules (id, category, severity, languages)")
    rules.add_argument("--config", metavar="FILE")
    rules.add_argument("--markdown", action="store_true",
                       help="print the rule reference (docs/rules.md)")
    rules.add_argument("--test", nargs="*", metavar="PACK", default=None,
                       help="run every example of the given packs (default: all loaded packs)")

    explain = commands.add_parser(
        "explain", help="what a rule catches, why, and what to write instead")
    explain.add_argument("rule", metavar="RULE")
    explain.add_argument("--config", metavar="FILE")

    trends = commands.add_parser("trends", help="fetch and print a trend snapshot (JSON)")
    trends.add_argument("provider", nargs="?", metavar="PROVIDER")
    trends.add_argument("--config", metavar="FILE")
    trends.add_argument("--offline", action="store_true", help="use cached snapshots only")

    crisis = commands.add_parser("crisis", help="which queued posts the crisis windows would hold")
    crisis.add_argument("paths", nargs="*", metavar="PATH", help="files or folders; - reads stdin")
    crisis.add_argument("--config", metavar="FILE", help="safepost.toml with [[crisis]] tables")
    _add_post_defaults(crisis)
    crisis.set_defaults(keep_going=False, baseline=None, diff=None)

    commands.add_parser("schema", help="print the Verdict JSON Schema")
    return parser


def _add_post_defaults(parser: argparse.ArgumentParser) -> None:
    """Add the options that fill in what a post does not say itself (see `_post_defaults`)."""
    parser.add_argument("--publish-at", metavar="ISO-8601",
                        help="for posts without a time of their own")
    parser.add_argument("--lang", metavar="CODE", help="for posts without a language of their own")
    parser.add_argument("--region", metavar="CODE", help="for posts without a region of their own")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from . import __version__

        print(f"safepost {__version__}")
        return Exit.OK
    if args.command is None:
        parser.print_help()
        return Exit.ERROR
    from .errors import SafepostError

    try:
        return _COMMANDS[args.command](args)
    except SafepostError as exc:
        print(f"safepost: {exc}", file=sys.stderr)
        return Exit.ERROR
    except BrokenPipeError:
        return Exit.OK


_held = False  # whether `run` holds the cycle collector off until start-up is over


def run() -> NoReturn:
    """The `safepost` command: run `main` and exit with its status.

    Start-up builds about a million objects that live until exit (spaCy's tables, the
    packs). The collector would walk them all several times over; it is held off until the
    first post is checked (`_settling`), and at exit they are frozen, which spares the
    interpreter a last full collection. Together that is about a quarter of a second.
    """
    global _held
    gc.disable()
    _held = True
    status = main()
    gc.freeze()
    sys.exit(status)


def _settling(verdicts: Iterable[_T]) -> Iterator[_T]:
    """Yield the verdicts; once the first is out, freeze what start-up built and collect again."""
    global _held
    for verdict in verdicts:
        if _held:
            _held = False
            gc.freeze()
            gc.enable()
        yield verdict


def _config(args: argparse.Namespace, **overrides: Any) -> Any:
    from .config import Config, find_config, read_config

    found = Path(args.config) if args.config else find_config(Path.cwd())
    config = read_config(found) if found else Config()
    return config.model_copy(update=overrides) if overrides else config


def _command_check(args: argparse.Namespace) -> int:
    from .checker import Checker
    from .errors import ConfigError
    from .formats import Checked

    overrides: dict[str, Any] = {}
    if args.require_trends:
        overrides["require_trends"] = True
    config = _config(args, **overrides)
    if args.offline:
        offline_trends = config.trends.model_copy(update={"offline": True})
        config = config.model_copy(update={"trends": offline_trends})
    jobs = _job_count(args.jobs)
    trends = _trend_source(args, config)
    if jobs > 1:
        from .jobs import FixedTrends

        trends = FixedTrends(*trends.snapshot()) if trends is not None else None
    checker = Checker(config, trends=trends)
    formatter = checker.registry.formats.get(args.format)
    if formatter is None:
        raise ConfigError(f"unknown format {args.format!r}; choose from "
                          f"{', '.join(sorted(checker.registry.formats))}", key="--format")
    paths = args.paths or ["-"]
    if args.write_verdicts and (len(paths) != 1 or not paths[0].lower().endswith(".csv")):
        raise ConfigError("takes exactly one .csv input", key="--write-verdicts")
    failed, errors = False, []
    read: deque[tuple[str, int, Post]] = deque()

    def posts() -> Iterator[Post]:
        for item in _read_all(checker, paths, args, errors):
            read.append(item)
            yield item[2]

    if jobs > 1:
        from .jobs import check_in_parallel

        verdicts = check_in_parallel(posts(), jobs=jobs, config=config, trends=trends,
                                     local=checker)
    else:
        verdicts = checker.check_many(posts())
    threshold = ("review", "hold") if args.fail_on == "review" else ("hold",)
    checked: list[tuple[int, Any]] = []

    def results() -> Iterator[Checked]:
        nonlocal failed
        progress = _Progress()
        for verdict in _settling(verdicts):
            path, line, post = read.popleft()
            failed = failed or verdict.decision in threshold
            if args.write_verdicts:
                checked.append((line, verdict))
            progress.step()
            yield Checked(path, line, post, verdict)
        progress.done()

    streamed = results()
    first = next(streamed, None)  # a post that cannot be read fails before any output
    formatter(itertools.chain([first] if first is not None else [], streamed), sys.stdout,
              checker.specs)
    if args.write_verdicts:
        _write_verdicts(paths[0], args.write_verdicts, _csv_layout(config),
                        checked + [(e.line, e) for e in errors if e.line is not None])
    for error in errors:
        print(f"safepost: {error}", file=sys.stderr)
    if errors:
        return Exit.ERROR
    return Exit.FAILED if failed and not args.exit_zero else Exit.OK


class _Progress:
    """Progress on standard error, only on a terminal and only from the 200th post on."""

    def __init__(self) -> None:
        self.count = 0
        self.shown = sys.stderr.isatty()

    def step(self) -> None:
        self.count += 1
        if self.shown and self.count >= 200 and self.count % 100 == 0:
            print(f"\rchecked {self.count} posts", end="", file=sys.stderr)

    def done(self) -> None:
        if self.shown and self.count >= 200:
            print(f"\rchecked {self.count} posts", file=sys.stderr)


def _jobs(value: str) -> int:
    """Read `--jobs`: a whole number, 0 or more."""
    if not value.isdigit():
        raise argparse.ArgumentTypeError("a whole number of processes, 0 for one per core")
    return int(value)


def _job_count(jobs: int) -> int:
    from .jobs import job_count

    return job_count(jobs)


def _trend_source(args: argparse.Namespace, config: Any) -> Any:
    """Return the trend source of `--trends`, or of the config's providers, or None."""
    spec = args.trends or ",".join(config.trends.providers)
    if not spec:
        return None
    from .plugins import Registry, plugin_manager
    from .trends.providers import open_trends

    return open_trends(spec, Registry.collect(plugin_manager()).providers, config.trends)


def _csv_layout(config: Any) -> Any:
    from .errors import ConfigError
    from .readers import CsvLayout

    try:
        return CsvLayout(**config.csv.model_dump())
    except ConfigError as exc:
        raise ConfigError(exc.message, key=f"csv.{exc.key}") from None


def _write_verdicts(source: str, target: str, layout: Any, results: list[tuple[int, Any]]) -> None:
    from .readers import load_text, write_verdicts_csv

    with open(target, "w", encoding="utf-8", newline="") as out:
        write_verdicts_csv(load_text(source), layout, sorted(results, key=lambda r: r[0]), out)


def _post_defaults(args: argparse.Namespace) -> dict[str, Any]:
    """Return the post fields given on the command line, validated."""
    from .checker import as_post

    fields = {k: v for k, v in (("lang", args.lang), ("region", args.region),
                                ("publish_at", args.publish_at)) if v}
    if fields:
        as_post("", fields)  # validate the options once, naming the bad one
    return fields


def _read_all(checker: Checker, paths: Sequence[str], args: argparse.Namespace,
              errors: list[Exception]) -> Iterator[tuple[str, int, Post]]:
    from .checker import as_post
    from .errors import InputError
    from .readers import ReadContext, decode_text, load_text, read_posts

    defaults = _post_defaults(args)
    layout = _csv_layout(checker.config)
    known = _baseline(args)
    changed = _changed(args, paths)
    readers = checker.registry.readers
    for path in _expand(paths, readers):
        if path == "-":
            text = decode_text(sys.stdin.buffer.read(), "<stdin>")
            reader, name = readers[".txt"], "<stdin>"
        else:
            reader = readers.get(Path(path).suffix.lower())
            if reader is None:
                known = ", ".join(sorted(readers))
                raise InputError(f"unsupported file type; safepost reads {known}", path=path)
            text, name = load_text(path), path
        context = ReadContext(path=name, csv=layout, keep_going=args.keep_going)
        for line, post in read_posts(text, context, reader):
            if isinstance(post, InputError):
                errors.append(post)
                continue
            if changed is not None and not _touched(changed, name, line, post.text):
                continue
            missing = {k: v for k, v in defaults.items() if getattr(post, k) is None}
            post = as_post(post, missing) if missing else post
            yield name, line, _apply_baseline(known, name, line, post)


def _baseline(args: argparse.Namespace) -> Any:
    if not args.baseline:
        return None
    from .baseline import load_baseline

    return load_baseline(args.baseline)


def _apply_baseline(known: Any, path: str, line: int, post: Post) -> Post:
    if not known:
        return post
    from .baseline import apply_baseline

    return apply_baseline(known, path, line, post)


def _changed(args: argparse.Namespace, paths: Sequence[str]) -> Any:
    if not args.diff:
        return None
    from .gitdiff import changed_lines

    return changed_lines(args.diff, [p for p in paths if p != "-"])


def _touched(changed: Any, path: str, line: int, text: str) -> bool:
    from .gitdiff import touches

    return touches(changed, path, line, text)


def _expand(paths: Sequence[str], readers: dict[str, Any]) -> Iterator[str]:
    for path in paths:
        folder = Path(path)
        if path != "-" and folder.is_dir():
            yield from sorted(str(p) for p in folder.rglob("*")
                              if p.is_file() and p.suffix.lower() in readers)
        else:
            yield path


def _command_rules(args: argparse.Namespace) -> int:
    from .checker import Checker

    config = _config(args)
    if args.test is not None:
        from .examples import run_examples

        packs = [Path(p) for p in args.test]
        checker = Checker(config.model_copy(update={"packs": [*config.packs, *packs]}))
        failures = 0
        for outcome in run_examples(checker, only=[str(p) for p in packs] or None):
            failures += not outcome.ok
            mark = "ok  " if outcome.ok else "FAIL"
            print(f"{mark} {outcome.rule} [{outcome.lang}] {outcome.kind}: {outcome.text}")
        print(f"{failures} failing example{'s' if failures != 1 else ''}")
        return Exit.FAILED if failures else Exit.OK
    checker = Checker(config)
    if args.markdown:
        from .reference import rule_reference

        print(rule_reference(checker), end="")
        return Exit.OK
    for row in rule_table(checker):
        print("  ".join(row))
    return Exit.OK


def rule_table(checker: Checker) -> list[tuple[str, str, str, str]]:
    """Return (id, category, severity, languages) of every reporting rule, aligned."""
    langs: dict[str, set[str]] = {}
    specs: dict[str, Any] = {}
    for pack in checker.packs:
        if not pack.family.reports:
            continue
        for spec in pack.specs:
            specs.setdefault(spec.id, spec)
            langs.setdefault(spec.id, set()).add(pack.lang or "all")
    rows = [
        (rule_id, spec.category, spec.severity, ",".join(sorted(langs[rule_id])))
        for rule_id, spec in sorted(specs.items())
    ]
    widths = [max((len(r[c]) for r in rows), default=0) for c in range(3)]
    return [
        (r[0].ljust(widths[0]), r[1].ljust(widths[1]), r[2].ljust(widths[2]), r[3]) for r in rows
    ]


def _command_explain(args: argparse.Namespace) -> int:
    import difflib

    from .checker import Checker
    from .errors import ConfigError

    checker = Checker(_config(args))
    specs: dict[str, Any] = {}
    for pack in sorted(checker.packs, key=lambda p: p.lang != checker.config.lang):
        for spec in pack.specs:  # the default language's wording first
            specs.setdefault(spec.id, spec)
    spec = specs.get(args.rule)
    if spec is None:
        close = difflib.get_close_matches(args.rule, list(specs), n=1)
        hint = f"; did you mean {close[0]}?" if close else "; `safepost rules` lists them"
        raise ConfigError(f"no rule {args.rule!r}{hint}", key="RULE")
    print(f"{spec.id} ({spec.category}, {spec.severity})\n")
    if spec.explain:
        print(f"What it catches\n  {spec.explain.what}\n")
        print(f"Why it matters\n  {spec.explain.why}\n")
    elif spec.description:
        print(f"What it catches\n  {spec.description}\n")
    print(f"Example\n  flagged: {_example(spec.examples.flag[0])}")
    print(f"  fine:    {_example(spec.examples.ok[0])}\n")
    instead = spec.explain.instead if spec.explain else spec.suggestion
    if instead:
        print(f"Instead\n  {instead}")
    return Exit.OK


def _example(example: str | dict[str, Any]) -> str:
    """Return a rule example as a line: its text, and what else it needs to be judged so."""
    if isinstance(example, str):
        return example
    notes = []
    items = (example.get("trends") or {}).get("items") or []
    if items:
        headlines = [c.get("title") for c in items[0].get("context") or []]
        news = f": {headlines[0]}" if headlines else ""
        notes.append(f"while “{items[0].get('term')}” trends{news}")
    if example.get("in_reply_to"):
        notes.append(f"replying to “{example['in_reply_to']}”")
    if example.get("sponsored"):
        notes.append("sponsored")
    for field, label in (("channel", "on"), ("region", "in"), ("publish_at", "published")):
        if example.get(field):
            notes.append(f"{label} {example[field]}")
    return example.get("text", "") + (f"  ({'; '.join(notes)})" if notes else "")


def _command_trends(args: argparse.Namespace) -> int:
    from .checker import Checker
    from .errors import ConfigError
    from .trends.providers import open_trends

    config = _config(args)
    if args.offline:
        offline_trends = config.trends.model_copy(update={"offline": True})
        config = config.model_copy(update={"trends": offline_trends})
    spec = args.provider or ",".join(config.trends.providers)
    checker = Checker(config)
    if not spec:
        raise ConfigError("name a provider: " + ", ".join(sorted(checker.registry.providers)),
                          key="PROVIDER")
    snapshot, status = open_trends(spec, checker.registry.providers, config.trends).snapshot()
    if snapshot is None:
        raise ConfigError(f"no trend snapshot could be had from {spec} ({status})", key="PROVIDER")
    print(snapshot.model_dump_json(indent=2))
    return Exit.OK


def _command_crisis(args: argparse.Namespace) -> int:
    from .checker import Checker
    from .verdict import decide

    config = _config(args)
    if not config.crisis:
        print("no crisis windows are declared; add [[crisis]] tables (see docs/crisis.md)")
        return Exit.OK
    for window in config.crisis:
        print(window.describe())
    checker = Checker(config)
    errors: list[Exception] = []
    items = list(_read_all(checker, args.paths or ["-"], args, errors))
    verdicts = checker.check_many(post for _, _, post in items)
    counts = {"hold": 0, "review": 0}
    for (path, line, post), verdict in zip(items, _settling(verdicts), strict=True):
        findings = [f for f in verdict.findings if f.rule.startswith("crisis.")]
        decision = decide(findings, post, config)
        if decision == "publish":
            continue
        counts[decision] += 1
        when = post.publish_at.isoformat() if post.publish_at else "now"
        windows = ", ".join(f"“{f.evidence[0]}” ({f.rule})" for f in findings)
        print(f"{path}:{line}: {decision}: post {post.id or '(no id)'} at {when}, window {windows}")
    plural = "s" if len(items) != 1 else ""
    print(f"{len(items)} post{plural} checked: {counts['hold']} hold, {counts['review']} review")
    for error in errors:
        print(f"safepost: {error}", file=sys.stderr)
    if errors:
        return Exit.ERROR
    return Exit.FAILED if counts["hold"] else Exit.OK


def _command_schema(args: argparse.Namespace) -> int:
    import json

    from .models import Verdict

    print(json.dumps(Verdict.model_json_schema(), indent=2))
    return Exit.OK


_COMMANDS = {
    "check": _command_check,
    "rules": _command_rules,
    "explain": _command_explain,
    "trends": _command_trends,
    "crisis": _command_crisis,
    "schema": _command_schema,
}
