"""Every patient SMS template, in every language, renders to short GSM-7 text that names no drug,
drug class or disease (lock screens are public).

Templates are discovered on disk and their variables with jinja2.meta, so templates added later
are covered without editing this file.
"""

from __future__ import annotations

import re
from datetime import time

import pytest
from jinja2 import Environment, FileSystemLoader, meta

from monitor.catalogue import load_catalogue
from monitor.domain.gsm import is_gsm7, segments
from monitor.domain.wording import clock_time
from monitor.sms.render import Renderer

LANGUAGES = ("en", "es")
RENDERER = Renderer()
SOURCE = Environment(loader=FileSystemLoader(RENDERER.root))


def template_names(language: str) -> list[str]:
    return sorted(path.stem for path in (RENDERER.root / language).glob("*.j2"))


CASES = [(language, name) for language in LANGUAGES for name in template_names(language)]
CASE_IDS = [f"{language}-{name}" for language, name in CASES]

# Realistic worst cases: a first name at the 10-character limit, the longest clock time each
# language prints, a full E.164 clinic number.
REALISTIC: dict[str, dict[str, str]] = {
    "first_name": {"en": "Maximilian", "es": "Maximilian"},
    "checkin_time": {"en": clock_time(time(12, 30), "en"), "es": clock_time(time(20, 30), "es")},
    "clinic_line": {"en": "+12015550199", "es": "+34915550199"},
}
FALLBACK = "Abcdefghijklmnopqrst"  # 20 letters for a variable this file does not know yet


def variables(language: str, name: str) -> set[str]:
    source = SOURCE.loader.get_source(SOURCE, f"{language}/{name}.j2")[0]  # type: ignore[union-attr]
    return meta.find_undeclared_variables(SOURCE.parse(source))


def context(language: str, name: str) -> dict[str, str]:
    return {
        variable: REALISTIC.get(variable, {}).get(language, FALLBACK)
        for variable in variables(language, name)
    }


def render(language: str, name: str) -> str:
    return RENDERER.render(name, language, **context(language, name))


# --- names that must never appear in an SMS ---------------------------------------------------

DISEASE_WORDS = [
    "leukemia",
    "leukaemia",
    "leucemia",
    "APL",
    "AML",
    "MDS",
    "cancer",
    "differentiation",
    "diferenciacion",
    "diferenciación",
    "syndrome",
    "sindrome",
    "síndrome",
    "chemotherapy",
    "quimioterapia",
]


def forbidden_names() -> list[str]:
    names = set(DISEASE_WORDS)
    for drug in load_catalogue():
        names.update(
            {
                drug.key,
                drug.key.replace("_", " "),
                drug.name,
                drug.class_label,
                drug.drug_class.replace("_", " "),
                *drug.brands,
                *drug.aliases,
            }
        )
    return sorted({name.lower() for name in names})


FORBIDDEN = forbidden_names()


def names_in(text: str) -> list[str]:
    """Every forbidden name (lowercased) found as a whole word or phrase, in any case."""
    return [
        name
        for name in FORBIDDEN
        if re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text, re.IGNORECASE)
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Take your TIBSOVO now", ["tibsovo"]),
        ("after the Atra dose", ["atra"]),
        ("You have AML.", ["aml"]),
        ("an IDH1 inhibitor", ["idh1 inhibitor"]),
        ("Responda ALTO para dejarlos", []),
        ("tomato, Atom, normal, samples", []),
    ],
    ids=["brand-lowercase", "alias", "disease", "class-label", "alto-is-not-ato", "inside-words"],
)
def test_the_name_check_itself(text: str, found: list[str]) -> None:
    assert names_in(text) == found


def test_the_catalogue_supplies_forbidden_names() -> None:
    for name in ("tretinoin", "arsenic trioxide", "trisenox", "ato", "komzifti", "flt3 inhibitor"):
        assert name in FORBIDDEN


# --- every template ---------------------------------------------------------------------------


def test_both_languages_have_the_same_templates() -> None:
    assert template_names("en") == template_names("es")
    assert {"welcome", "checkin", "reminder", "closing"} <= set(template_names("en"))


@pytest.mark.parametrize(("language", "name"), CASES, ids=CASE_IDS)
def test_template_renders_short_gsm7_text(language: str, name: str) -> None:
    text = render(language, name)
    assert text
    assert is_gsm7(text)
    assert segments(text) <= 3, f"{segments(text)} segments: {text!r}"
    assert "{{" not in text and "{%" not in text


@pytest.mark.parametrize(("language", "name"), CASES, ids=CASE_IDS)
def test_template_loses_no_character_to_gsm7(language: str, name: str) -> None:
    """Spelling in GSM-7 may drop an accent but must never turn a character into '?'."""
    raw = SOURCE.get_template(f"{language}/{name}.j2").render(**context(language, name)).strip()
    assert render(language, name).count("?") == raw.count("?")


@pytest.mark.parametrize(("language", "name"), CASES, ids=CASE_IDS)
def test_template_names_no_drug_class_or_disease(language: str, name: str) -> None:
    assert names_in(render(language, name)) == []
    source = SOURCE.loader.get_source(SOURCE, f"{language}/{name}.j2")[0]  # type: ignore[union-attr]
    assert names_in(source) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_checkin_fits_two_segments(language: str) -> None:
    text = render(language, "checkin")
    assert segments(text) <= 2, f"{segments(text)} segments: {text!r}"


# clinical.md section 4: fixed numbering, one sign per line, in this order.
MENU = {
    "en": [
        ("1", r"breath"),
        ("2", r"chest"),
        ("3", r"fever"),
        ("4", r"weight|swell"),
        ("5", r"dizzy|faint"),
        ("6", r"pee|urin"),
        ("7", r"bone|joint|rash|gland"),
        ("0", r"none|ok\b"),
    ],
    "es": [
        ("1", r"respir"),
        ("2", r"pecho"),
        ("3", r"fiebre"),
        ("4", r"peso|hinch"),
        ("5", r"mareo|desmay"),
        ("6", r"orin"),
        ("7", r"hueso|sarpullido|ganglio"),
        ("0", r"nada|bien"),
    ],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_checkin_lists_the_menu_in_order(language: str) -> None:
    lines = re.findall(r"^(\d) (.+)$", render(language, "checkin"), re.MULTILINE)
    assert [number for number, _ in lines] == ["1", "2", "3", "4", "5", "6", "7", "0"]
    for (number, wording), (expected_number, pattern) in zip(lines, MENU[language], strict=True):
        assert number == expected_number
        assert re.search(pattern, wording, re.IGNORECASE), f"menu {number}: {wording!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_checkin_and_welcome_give_the_emergency_number(language: str) -> None:
    for name in ("checkin", "welcome"):
        assert re.search(r"\b911\b", render(language, name))


@pytest.mark.parametrize(
    ("language", "keywords"),
    [("en", ["STOP", "HELP"]), ("es", ["ALTO", "AYUDA"])],
    ids=["en-stop-help", "es-alto-ayuda"],
)
def test_welcome_names_the_opt_out_and_help_words(language: str, keywords: list[str]) -> None:
    text = render(language, "welcome")
    for keyword in keywords:
        assert re.search(rf"\b{keyword}\b", text), keyword


@pytest.mark.parametrize("language", LANGUAGES)
def test_welcome_says_when_the_checkin_comes_and_whom_it_greets(language: str) -> None:
    text = render(language, "welcome")
    assert REALISTIC["checkin_time"][language] in text
    assert "Maximilian" in text


@pytest.mark.parametrize(
    ("language", "name", "greeting"),
    [
        ("en", "Zoë", "Zoe"),
        ("es", "Begoña", "Begoña"),
        ("es", "Iñaki", "Iñaki"),
        ("es", "Ramón", "Ramon"),
    ],
    ids=["en-diaeresis-dropped", "es-enye-kept", "es-enye-kept-2", "es-acute-dropped"],
)
def test_names_are_spelled_in_gsm7(language: str, name: str, greeting: str) -> None:
    text = RENDERER.render("checkin", language, first_name=name)
    assert text.startswith(f"{greeting}:")
    assert is_gsm7(text)
