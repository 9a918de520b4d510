"""The labelled corpus of patient-style replies through `triage_text`, against the targets the
rules are judged by: emergency recall 100%, urgent recall >= 95% (an emergency counts as a hit
for an urgent line), benign replies raised to urgent or emergency <= 5%."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from monitor.domain.triage import triage_text

CORPUS = Path(__file__).parent.parent / "fixtures" / "triage_corpus.tsv"
LEVELS = ("emergency", "urgent", "same_day", "routine", "unclear")
BENIGN = frozenset({"same_day", "routine", "unclear"})
RAISED = frozenset({"urgent", "emergency"})


def load_corpus() -> list[tuple[str, str, str]]:
    """(expected level, language, text) for every line that is not a comment."""
    rows = []
    for number, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        expected, language, text = line.split("\t", 2)
        assert expected in LEVELS, f"line {number}: unknown level {expected!r}"
        assert language in ("en", "es"), f"line {number}: unknown language {language!r}"
        rows.append((expected, language, text))
    return rows


@pytest.fixture(scope="module")
def results() -> list[tuple[str, str, str, str]]:
    """(expected, language, text, level found) for the whole corpus."""
    return [
        (expected, language, text, str(triage_text(text)["level"]))
        for expected, language, text in load_corpus()
    ]


def summary(results: list[tuple[str, str, str, str]]) -> str:
    """A confusion table (expected rows, found columns) and every line whose level differs."""
    counts = Counter((expected, found) for expected, _, _, found in results)
    lines = ["expected \\ found " + " ".join(f"{level:>9}" for level in LEVELS)]
    for expected in LEVELS:
        row = " ".join(f"{counts[(expected, found)]:>9}" for found in LEVELS)
        lines.append(f"{expected:>16} {row}")
    lines.append("misses:")
    lines += [
        f"  {expected:>9} -> {found:<9} [{language}] {text}"
        for expected, language, text, found in results
        if found != expected
    ]
    return "\n".join(lines)


def rate(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def test_corpus_is_wide_enough() -> None:
    rows = load_corpus()
    assert len(rows) >= 500
    assert {language for _, language, _ in rows} == {"en", "es"}
    assert {expected for expected, _, _ in rows} == set(LEVELS)


def test_emergency_recall_is_total(results: list[tuple[str, str, str, str]]) -> None:
    emergencies = [row for row in results if row[0] == "emergency"]
    hits = sum(found == "emergency" for *_, found in emergencies)
    assert hits == len(emergencies), summary(results)


def test_urgent_recall(results: list[tuple[str, str, str, str]]) -> None:
    urgent = [row for row in results if row[0] == "urgent"]
    hits = sum(found in RAISED for *_, found in urgent)
    assert rate(hits, len(urgent)) >= 0.95, summary(results)


def test_benign_replies_are_rarely_raised(results: list[tuple[str, str, str, str]]) -> None:
    benign = [row for row in results if row[0] in BENIGN]
    raised = sum(found in RAISED for *_, found in benign)
    assert rate(raised, len(benign)) <= 0.05, summary(results)


def test_report(
    results: list[tuple[str, str, str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    """Prints the figures (shown with -s); fails only if the corpus is empty."""
    emergencies = [found for expected, *_, found in results if expected == "emergency"]
    urgent = [found for expected, *_, found in results if expected == "urgent"]
    benign = [found for expected, *_, found in results if expected in BENIGN]
    exact = sum(expected == found for expected, *_, found in results)
    with capsys.disabled():
        print(
            f"\ncorpus {len(results)} lines, exact {rate(exact, len(results)):.1%};"
            f" emergency recall {rate(emergencies.count('emergency'), len(emergencies)):.1%};"
            f" urgent recall {rate(sum(f in RAISED for f in urgent), len(urgent)):.1%};"
            f" benign raised {rate(sum(f in RAISED for f in benign), len(benign)):.1%}"
        )
    assert results
