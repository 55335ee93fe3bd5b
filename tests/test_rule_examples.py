"""Every example of every bundled pack behaves: flag examples fire, pass examples do not."""

from __future__ import annotations

import pytest

from safepost import Checker
from safepost.examples import Outcome, run_examples

OUTCOMES = list(run_examples(Checker()))


@pytest.mark.parametrize(
    "outcome", OUTCOMES, ids=[f"{o.rule}[{o.lang}] {o.kind}: {o.text[:40]}" for o in OUTCOMES])
def test_example(outcome: Outcome) -> None:
    assert outcome.ok, f"{outcome.pack}: {outcome.rule} should {outcome.kind}: {outcome.text!r}"


def test_every_language_has_examples() -> None:
    assert {o.lang for o in OUTCOMES} >= {"en"}
