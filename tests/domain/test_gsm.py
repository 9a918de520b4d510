"""GSM-7 alphabet, septet counting, segment arithmetic, GSM-7 spelling and truncation."""

from __future__ import annotations

import pytest

from monitor.domain.gsm import gsm7_length, is_gsm7, segments, to_gsm7, truncate_gsm7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", True),
        ("Hello, reply 0 if OK.", True),
        ("line one\nline two\r", True),
        ("@£$¥_!?¡¿§#%&*()", True),
        ("éÉèùìòàÄÖÜäöüñÑßÆæØøÅå", True),
        ("€[]{}^~|\\", True),
        ("á", False),
        ("í", False),
        ("ó", False),
        ("ú", False),
        ("\u2019", False),
        ("\u201cquoted\u201d", False),
        ("\U0001f600", False),
        ("\t", False),
        ("°", False),
        ("control diario\u00a0", False),
    ],
    ids=[
        "empty",
        "plain-ascii",
        "newlines",
        "basic-symbols",
        "accents-in-basic-set",
        "extension-table",
        "a-acute",
        "i-acute",
        "o-acute",
        "u-acute",
        "curly-apostrophe",
        "curly-quotes",
        "emoji",
        "tab",
        "degree-sign",
        "no-break-space",
    ],
)
def test_is_gsm7(text: str, expected: bool) -> None:
    assert is_gsm7(text) is expected


@pytest.mark.parametrize(
    ("text", "septets"),
    [
        ("", 0),
        ("abc", 3),
        ("ñé", 2),
        ("€", 2),
        ("a[b]", 6),
        ("{}", 4),
        ("\\", 2),
        ("|^~", 6),
        ("38C/100.4F", 10),
    ],
    ids=[
        "empty",
        "ascii",
        "basic-accents-one-each",
        "euro-two",
        "brackets-two-each",
        "braces",
        "backslash",
        "pipe-caret-tilde",
        "temperature",
    ],
)
def test_gsm7_length(text: str, septets: int) -> None:
    assert gsm7_length(text) == septets


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
        ("€" * 80, 1),
        ("€" * 80 + "a", 2),
        ("ñ" * 160, 1),
        ("á" * 70, 1),
        ("á" * 71, 2),
        ("á" * 134, 2),
        ("á" * 135, 3),
        ("a" * 69 + "á", 1),
        ("a" * 100 + "á", 2),
        ("\U0001f600" * 35, 1),
        ("\U0001f600" * 36, 2),
    ],
    ids=[
        "empty-one",
        "gsm-160-one",
        "gsm-161-two",
        "gsm-306-two",
        "gsm-307-three",
        "gsm-459-three",
        "gsm-460-four",
        "gsm-80-euros-is-160-septets-one",
        "gsm-161-septets-two",
        "gsm-basic-accent-160-one",
        "ucs2-70-one",
        "ucs2-71-two",
        "ucs2-134-two",
        "ucs2-135-three",
        "one-acute-makes-ucs2-70-one",
        "one-acute-makes-ucs2-101-two",
        "emoji-is-two-utf16-units-70-one",
        "emoji-72-units-two",
    ],
)
def test_segments(text: str, count: int) -> None:
    assert segments(text) == count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Reply 0 if OK.", "Reply 0 if OK."),
        ("don\u2019t \u2018this\u2019", "don't 'this'"),
        ("\u201cfine\u201d", '"fine"'),
        ("9\u20135 \u2014 ok", "9-5 - ok"),
        ("wait\u2026", "wait..."),
        ("a\u00a0b\tc", "a b c"),
        ("información", "informacion"),
        ("¿Cómo está?", "¿Como esta?"),
        ("José Núñez", "José Nuñez"),
        ("Añada", "Añada"),
        ("escalofríos", "escalofrios"),
        ("ÁÍÓÚ", "AIOU"),
        ("Zoë", "Zoe"),
        ("OK \U0001f44d", "OK ?"),
        ("\u4e2d", "?"),
        ("100 €", "100 €"),
    ],
    ids=[
        "plain-unchanged",
        "curly-single-quotes",
        "curly-double-quotes",
        "dashes",
        "ellipsis",
        "spaces",
        "o-acute-dropped",
        "inverted-question-kept-accents-dropped",
        "e-acute-and-n-tilde-kept-u-acute-dropped",
        "n-tilde-kept",
        "i-acute-dropped",
        "capital-acutes-dropped",
        "diaeresis-outside-gsm-dropped",
        "emoji-becomes-question-mark",
        "cjk-becomes-question-mark",
        "extension-kept",
    ],
)
def test_to_gsm7(text: str, expected: str) -> None:
    got = to_gsm7(text)
    assert got == expected
    assert is_gsm7(got)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("a" * 10, 10, "a" * 10),
        ("a" * 11, 10, "a" * 7 + "..."),
        ("abcdef ghijkl", 10, "abcdef..."),
        ("€€€€€", 10, "€€€€€"),
        ("€€€€€", 9, "€€€..."),
        ("€€€€€", 8, "€€..."),
    ],
    ids=[
        "fits",
        "exact-fit",
        "one-over-cut-with-dots",
        "trailing-space-stripped-before-dots",
        "extension-exact-fit",
        "extension-cut",
        "extension-never-split-over-budget",
    ],
)
def test_truncate_gsm7(text: str, limit: int, expected: str) -> None:
    got = truncate_gsm7(text, limit)
    assert got == expected
    assert gsm7_length(got) <= limit
