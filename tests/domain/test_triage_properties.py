"""Properties that must hold for any text: parsing never raises, and an emergency phrase added
before or after any message (as its own sentence) makes the reply an emergency."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from monitor.domain.parsing import parse_reply
from monitor.domain.triage import Level, triage, triage_text

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
