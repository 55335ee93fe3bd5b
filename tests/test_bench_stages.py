"""bench/stages.py: each stage counts only its own time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parent.parent / "bench"


def test_stages_split_the_whole_run_without_counting_a_stage_twice() -> None:
    result = subprocess.run([sys.executable, "stages.py", "--posts", "60"], cwd=BENCH,
                            capture_output=True, text=True, check=True)
    figures = {match["stage"].strip(): float(match["us"]) for match in re.finditer(
        r"^(?P<stage>.+?)\s+(?P<us>-?[\d.]+) µs", result.stdout, re.MULTILINE)}
    assert {"phrase scan", "spaCy tokenizer", "spaCy lemmatizer", "normalize",
            "language detection", "verdict", "rules: regex", "rules: trend-hijack",
            "bare spaCy tokenizer"} <= set(figures)
    # A stage nested in another (the tokenizer inside a trend rule reading a headline) is
    # taken out of the outer one; counted twice, the stages would add up to more than the
    # whole and leave "everything else" below zero.
    assert figures["everything else"] >= 0
