"""How names and times are written in messages, and how typed times are read."""

from __future__ import annotations

from datetime import time

import pytest

from monitor.domain.wording import clock_time, first_name, parse_clock, short_name


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Ana García", "Ana"),
        ("  Ana   García  ", "Ana"),
        ("Cher", "Cher"),
        ("Bartholomew Smith", "Bartholome"),
        ("Maximiliano Rodríguez", "Maximilian"),
        ("Jo Ann Lee", "Jo"),
        ("Abcdefghij Klm", "Abcdefghij"),
        ("", ""),
        ("   ", ""),
    ],
    ids=[
        "two-words",
        "extra-spaces",
        "single-name",
        "11-letters-cut-to-10",
        "spanish-long-name-cut-to-10",
        "three-words",
        "exactly-10",
        "empty",
        "blank",
    ],
)
def test_first_name(full: str, expected: str) -> None:
    assert first_name(full) == expected
    assert len(first_name(full)) <= 10


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Ana García", "Ana G."),
        ("Ana María García López", "Ana L."),
        ("  ana   garcía ", "ana g."),
        ("Cher", "Cher"),
        ("", "?"),
        ("   ", "?"),
    ],
    ids=["two-words", "four-words-last-initial", "extra-spaces", "single-name", "empty", "blank"],
)
def test_short_name(full: str, expected: str) -> None:
    assert short_name(full) == expected


@pytest.mark.parametrize(
    ("at", "language", "expected"),
    [
        (time(9, 0), "en", "9:00 AM"),
        (time(9, 5), "en", "9:05 AM"),
        (time(0, 0), "en", "12:00 AM"),
        (time(0, 30), "en", "12:30 AM"),
        (time(12, 0), "en", "12:00 PM"),
        (time(12, 30), "en", "12:30 PM"),
        (time(13, 15), "en", "1:15 PM"),
        (time(20, 59), "en", "8:59 PM"),
        (time(9, 0), "es", "9:00"),
        (time(9, 5), "es", "9:05"),
        (time(0, 0), "es", "0:00"),
        (time(12, 30), "es", "12:30"),
        (time(20, 59), "es", "20:59"),
    ],
    ids=[
        "en-morning",
        "en-minutes-padded",
        "en-midnight",
        "en-half-past-midnight",
        "en-noon",
        "en-half-past-noon",
        "en-afternoon",
        "en-evening",
        "es-morning",
        "es-minutes-padded",
        "es-midnight",
        "es-half-past-noon",
        "es-24-hour-evening",
    ],
)
def test_clock_time(at: time, language: str, expected: str) -> None:
    assert clock_time(at, language) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", time(9, 0)),
        ("9:00", time(9, 0)),
        (" 07:45 ", time(7, 45)),
        ("9:00 am", time(9, 0)),
        ("9:00 AM", time(9, 0)),
        ("9:00am", time(9, 0)),
        ("1:15 p.m.", time(13, 15)),
        ("12:30 pm", time(12, 30)),
        ("12:00 pm", time(12, 0)),
        ("12:00 am", time(0, 0)),
        ("0:00", time(0, 0)),
        ("21:30", time(21, 30)),
        ("23:59", time(23, 59)),
        (time(9, 0, 30, 500), time(9, 0)),
    ],
    ids=[
        "hh-mm",
        "h-mm",
        "surrounding-spaces",
        "am",
        "am-capitals",
        "am-no-space",
        "p-dot-m-dot",
        "half-past-noon-pm",
        "noon-pm",
        "midnight-am",
        "midnight-24h",
        "evening-24h",
        "last-minute",
        "time-object-seconds-dropped",
    ],
)
def test_parse_clock(text: str | time, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("25:00", "HH:MM"),
        ("24:00", "HH:MM"),
        ("9:60", "HH:MM"),
        ("9", "HH:MM"),
        ("noon", "HH:MM"),
        ("9.00", "HH:MM"),
        ("", "HH:MM"),
        ("13:00 pm", "1-12"),
        ("0:30 am", "1-12"),
    ],
    ids=[
        "hour-25",
        "hour-24",
        "minute-60",
        "hour-only",
        "word",
        "dot-separator",
        "empty",
        "13-pm",
        "0-am",
    ],
)
def test_parse_clock_refuses(text: str, hint: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_clock(text)
    assert hint in str(caught.value)
    assert repr(text) in str(caught.value)
