"""A third-party plugin as a package outside safepost would ship it."""

from __future__ import annotations

from importlib.resources import files

import safepost
from safepost.families.terms import TermRule


class ExclaimRule(TermRule):
    """Flags posts that end in more than one exclamation mark."""

    family = "acme-exclaim"

    def check(self, analysis):
        text = analysis.text.rstrip()
        if text.endswith("!!"):
            start = len(text) - (len(text) - len(text.rstrip("!")))
            yield self.finding(analysis, span=(start, len(text)))


@safepost.hookimpl
def register_rule_families(register):
    register(ExclaimRule)


@safepost.hookimpl
def register_rule_packs(register):
    register(files("acme_safepost_packs"))


@safepost.hookimpl
def register_formats(register):
    def write_ids(results, out, rules):
        for item in results:
            out.write(f"{item.path}\t{item.verdict.decision}\t"
                      f"{','.join(f.rule for f in item.verdict.findings)}\n")

    register("acme-ids", write_ids)
