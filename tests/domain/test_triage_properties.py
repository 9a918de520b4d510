"""Properties that must hold for any text: parsing never raises, and an emergency phrase added
before or after any message (as its own sentence) makes the reply an emergency."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from monitor.domain.parsing import PATTERNS, Mention, match_all, normalise, parse_reply
from monitor.domain.triage import Level, triage, triage_text

CORPUS = Path(__file__).parent.parent / "fixtures" / "triage_corpus.tsv"
CORPUS_WORDS = sorted(
    {
        word
        for line in CORPUS.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#") and line.count("\t") >= 2
        for word in normalise(line.split("\t", 2)[2]).split()
    }
)

EMERGENCY_PHRASES = (
    # English
    "I can't breathe",
    "cant breath",
    "short of breath",
    "SOB",
    "gasping for air",
    "chest pain",
    "my chest hurts",
    "pressure in my chest",
    "I passed out",
    "she fainted",
    "his lips are blue",
    "coughing up blood",
    "he is confused",
    "1",
    "2",
    # Spanish
    "no puedo respirar",
    "me falta el aire",
    "me ahogo",
    "me duele el pecho",
    "dolor de pecho",
    "me desmayé",
    "perdió el conocimiento",
    "labios morados",
    "tose con sangre",
    "está confundido",
)
LANGUAGES = st.sampled_from([None, "en", "es"])


@settings(max_examples=400)
@given(text=st.text(), language=LANGUAGES)
@example(text="", language=None)
@example(text="\x00\u0301\u200b°%/:.,1,2.3/4:5", language="es")
@example(text="ǅǆ İ ß ﬀ ᾈ ⅷ ①②", language=None)
def test_parsing_never_raises(text: str, language: str | None) -> None:
    parsed = parse_reply(text, language)
    assert parsed.language in ("en", "es")
    assert triage(parsed).level in Level


@settings(max_examples=200)
@given(text=st.text(max_size=1600))
def test_long_text_never_raises(text: str) -> None:
    assert triage_text(text)["level"] in {level.value for level in Level}


@settings(max_examples=300)
@given(text=st.text(), phrase=st.sampled_from(EMERGENCY_PHRASES), before=st.booleans())
@example(text="no", phrase="chest pain", before=False)
@example(text="fine, no fever and not", phrase="short of breath", before=False)
@example(text="is gone", phrase="chest pain", before=True)
@example(text="no, nada, 0, fine, todo bien", phrase="me ahogo", before=False)
def test_an_emergency_phrase_anywhere_is_an_emergency(text: str, phrase: str, before: bool) -> None:
    message = f"{phrase}. {text}" if before else f"{text}. {phrase}"
    assert triage_text(message)["level"] == "emergency", message


@settings(max_examples=200)
@given(text=st.text(), before=st.booleans())
def test_a_fever_reading_is_never_downgraded(text: str, before: bool) -> None:
    message = f"temp 38.4. {text}" if before else f"{text}. temp 38.4"
    assert triage_text(message)["level"] in ("urgent", "emergency"), message


# find_mentions tries each pattern only where a word starts with one of the beginnings it can
# match; it must find exactly what a plain scan with a word boundary finds.
PLAIN = [(pattern, re.compile(rf"(?<![a-z0-9]){pattern.regex.pattern}")) for pattern in PATTERNS]


def plain_mentions(norm: str) -> set[Mention]:
    return {
        Mention(pattern.key, pattern.kind, match.start(), match.end(), match.group())
        for pattern, plain in PLAIN
        for match in plain.finditer(norm)
        if match.end() > match.start()
    }


def test_every_pattern_knows_where_it_can_start() -> None:
    """A pattern without starts is tried at every word (slow, still correct)."""
    assert [pattern.regex.pattern for pattern in PATTERNS if pattern.starts is None] == []


@settings(max_examples=300)
@given(
    words=st.lists(st.sampled_from(CORPUS_WORDS), max_size=30),
    noise=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 .,-/", max_size=20),
)
def test_indexed_matching_equals_a_plain_scan(words: list[str], noise: str) -> None:
    norm = normalise(" ".join(words) + " " + noise)
    assert match_all(norm) == plain_mentions(norm)
