"""Triage levels: each rule of clinical.md section 5, its edges, the weight-history rule and
the reasons every decision carries."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from monitor.domain.parsing import Sign, parse_reply
from monitor.domain.triage import (
    SIGN_NAMES,
    Decision,
    Level,
    WeightReading,
    triage,
    triage_text,
)

E, U, D, R, X = Level.EMERGENCY, Level.URGENT, Level.SAME_DAY, Level.ROUTINE, Level.UNCLEAR
NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def decide(text: str) -> Decision:
    return triage(parse_reply(text))


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # menu
        pytest.param("1", E, id="menu-1"),
        pytest.param("2", E, id="menu-2"),
        pytest.param("3", U, id="menu-3"),
        pytest.param("4", U, id="menu-4"),
        pytest.param("5", U, id="menu-5-dizzy-not-fainting"),
        pytest.param("6", U, id="menu-6"),
        pytest.param("7", D, id="menu-7"),
        pytest.param("0", R, id="menu-0"),
        pytest.param("8", X, id="menu-8"),
        pytest.param("9", X, id="menu-9"),
        pytest.param("0 2", E, id="zero-with-sign-sign-wins"),
        pytest.param("7 and 0", D, id="seven-with-zero"),
        pytest.param("1 y 3", E, id="es-menu"),
        # emergency signs
        pytest.param("cant breathe", E, id="breathing"),
        pytest.param("chest pain", E, id="chest-pain"),
        pytest.param("she fainted", E, id="fainting"),
        pytest.param("almost fainted in the shower", E, id="almost-fainted"),
        pytest.param("lips look blue", E, id="blue-lips"),
        pytest.param("coughing up blood", E, id="coughing-blood"),
        pytest.param("new confusion", E, id="confusion"),
        pytest.param("fine except my chest hurts", E, id="reassuring-message"),
        pytest.param("me falta el aire", E, id="es-breathing"),
        pytest.param("me duele el pecho", E, id="es-chest"),
        pytest.param("me desmayé", E, id="es-fainting"),
        # urgent signs
        pytest.param("fever", U, id="fever"),
        pytest.param("shaking chills", U, id="chills"),
        pytest.param("gained 5 pounds", U, id="weight-gain-words"),
        pytest.param("swollen ankles", U, id="swelling"),
        pytest.param("dizzy", U, id="dizziness"),
        pytest.param("feel faint", U, id="feel-faint-is-dizziness"),
        pytest.param("my blood pressure is low", U, id="low-blood-pressure"),
        pytest.param("peeing less", U, id="low-urine"),
        pytest.param("new cough", U, id="cough"),
        pytest.param("tengo calentura", U, id="es-fever"),
        pytest.param("casi no orino", U, id="es-low-urine"),
        # same day
        pytest.param("bone pain", D, id="bone-pain"),
        pytest.param("my knees and hips ache", D, id="joint-pain"),
        pytest.param("rash", D, id="rash"),
        pytest.param("swollen glands", D, id="swollen-glands"),
        pytest.param("ganglios inflamados", D, id="es-glands"),
        pytest.param("rash and fever", U, id="same-day-and-urgent"),
        # routine and unclear
        pytest.param("fine", R, id="fine"),
        pytest.param("no chest pain", R, id="negated-sign"),
        pytest.param("estoy bien", R, id="es-fine"),
        pytest.param("thanks", X, id="chit-chat"),
        pytest.param("headache", X, id="off-menu-symptom"),
        pytest.param("tired but ok", X, id="complaint-cancels-ok"),
        pytest.param("", X, id="empty"),
        pytest.param("wt 72.5 kg", X, id="weight-alone"),
    ],
)
def test_levels(text: str, level: Level) -> None:
    assert decide(text).level is level


@pytest.mark.parametrize(
    ("text", "level", "groups"),
    [
        pytest.param("fever and chills", U, None, id="one-group-twice"),
        pytest.param("fever and dizzy", U, "2 sign groups", id="two-groups"),
        pytest.param("3 and 5", U, "2 sign groups", id="two-groups-menu"),
        pytest.param("fever, dizzy, swollen legs", U, "3 sign groups", id="three-groups"),
        pytest.param(
            "tengo fiebre, tos, estoy mareado y casi no orino",
            U,
            "3 sign groups",
            id="cough-is-not-a-group",
        ),
        pytest.param("3 4 5 6", E, "4 sign groups", id="four-groups-menu"),
        pytest.param(
            "fever, gained 3 kg, dizzy and peeing less", E, "4 sign groups", id="four-groups"
        ),
        pytest.param("rash and swollen glands", D, None, id="same-day-not-a-group"),
    ],
)
def test_sign_groups(text: str, level: Level, groups: str | None) -> None:
    decision = decide(text)
    assert decision.level is level
    group_reasons = [reason for reason in decision.reasons if "sign groups" in reason]
    if groups is None:
        assert group_reasons == []
    else:
        assert len(group_reasons) == 1
        assert group_reasons[0].startswith(groups)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        pytest.param("37.9", X, id="37.9C-alone"),
        pytest.param("0 temp 37.9", R, id="37.9C-with-zero"),
        pytest.param("38.0", U, id="38.0C"),
        pytest.param("temp 38", U, id="38C-integer"),
        pytest.param("100.3", X, id="100.3F"),
        pytest.param("0 temp 100.3F", R, id="100.3F-with-zero"),
        pytest.param("100.4", U, id="100.4F"),
        pytest.param("temp 39.1 otherwise fine", U, id="fever-not-downgraded-by-fine"),
        pytest.param("0 38.5", U, id="fever-not-downgraded-by-zero"),
        pytest.param("7, temp 38.2", U, id="fever-over-same-day"),
    ],
)
def test_temperature_edges(text: str, level: Level) -> None:
    assert decide(text).level is level


def reading(hours_ago: float, kg: float) -> WeightReading:
    return WeightReading(NOW - timedelta(hours=hours_ago), kg)


@pytest.mark.parametrize(
    ("history", "level"),
    [
        pytest.param([reading(12, 70.5)], U, id="2kg-within-a-day"),
        pytest.param([reading(24, 70.5)], U, id="2kg-exactly-a-day"),
        pytest.param([reading(12, 70.6)], X, id="1.9kg-within-a-day"),
        pytest.param([reading(30, 70.5)], X, id="2kg-over-a-day-ago"),
        pytest.param([reading(72, 68.0)], U, id="4.5kg-within-a-week"),
        pytest.param([reading(72, 68.1)], X, id="4.4kg-within-a-week"),
        pytest.param([reading(7 * 24, 68.0)], U, id="4.5kg-exactly-a-week"),
        pytest.param([reading(8 * 24, 60.0)], X, id="older-reports-ignored"),
        pytest.param([reading(-2, 60.0)], X, id="future-reports-ignored"),
        pytest.param([reading(12, 75.0)], X, id="weight-down"),
        pytest.param([reading(100, 72.0), reading(10, 70.0)], U, id="lowest-in-window"),
        pytest.param([], X, id="no-history"),
    ],
)
def test_weight_history(history: list[WeightReading], level: Level) -> None:
    decision = triage(parse_reply("wt 72.5 kg"), NOW, history)
    assert decision.level is level
    assert (Sign.WEIGHT_GAIN in decision.signs) is (level is U)
    if level is U:
        assert any("kg above" in reason for reason in decision.reasons)


def test_weight_history_needs_now() -> None:
    assert triage(parse_reply("wt 72.5 kg"), None, [reading(12, 60.0)]).level is X


def test_weight_history_counts_as_a_sign_group() -> None:
    decision = triage(parse_reply("wt 72.5 kg, fever"), NOW, [reading(12, 70.0)])
    assert decision.level is U
    assert any(reason.startswith("2 sign groups") for reason in decision.reasons)


@pytest.mark.parametrize(
    "text",
    ["1", "cant breathe", "3 temp 38.6", "fever and dizzy", "7", "0", "hmm", "no fever"],
)
def test_every_decision_has_reasons(text: str) -> None:
    decision = decide(text)
    assert decision.reasons
    for sign in decision.signs:
        assert any(reason.startswith(f"{SIGN_NAMES[sign]} (") for reason in decision.reasons)


def test_reasons_name_sign_evidence_and_level() -> None:
    reasons = decide("3 temp 38.6, chest hurts").reasons
    assert 'chest pain or pressure ("chest hurts"): emergency' in reasons
    assert "fever (menu 3; temperature 38.6): urgent" in reasons
    assert any(reason.startswith("temperature 38.6 °C") for reason in reasons)


def test_signs_most_severe_first() -> None:
    assert decide("rash, fever and chest pain").signs == (
        Sign.CHEST_PAIN,
        Sign.FEVER,
        Sign.RASH,
    )


def test_level_rank_orders_severity() -> None:
    ranked = sorted(Level, key=lambda level: level.rank, reverse=True)
    assert ranked == [E, U, D, X, R]


def test_triage_text_is_the_cli_line() -> None:
    line = triage_text("me falta el aire y tengo fiebre")
    assert line == {
        "text": "me falta el aire y tengo fiebre",
        "level": "emergency",
        "signs": ["breathing", "fever"],
        "reasons": line["reasons"],
        "language": "es",
    }
    assert line["reasons"]
    assert json.loads(json.dumps(line, ensure_ascii=False)) == line


def test_triage_text_language_argument() -> None:
    assert triage_text("3", "es")["language"] == "es"
    assert triage_text("3")["language"] == "en"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # checklists and spelled menu answers
        pytest.param("1 no 2 no 3 no 4 no 5 no 6 no 7 no", R, id="checklist-all-no"),
        pytest.param("1 no 2 no 3 yes", U, id="checklist-one-yes"),
        pytest.param("1 no fever", E, id="menu-then-negated-word"),
        pytest.param("one", E, id="spelled-menu"),
        pytest.param("dos", E, id="es-spelled-menu"),
        # amounts and comparisons are not absence; "no problem" is
        pytest.param("not much chest pain today", E, id="not-much"),
        pytest.param("no tengo mucha fiebre", U, id="es-no-mucha-fiebre"),
        pytest.param("never had chest pain like this", E, id="never-like-this"),
        pytest.param("never had chest pain", R, id="never"),
        pytest.param("breathing is not a problem", R, id="not-a-problem"),
        pytest.param("nada más el dolor de pecho", E, id="es-nada-mas-is-only"),
        # questions and reports of yesterday still name the sign
        pytest.param("should I be worried about chest pain?", E, id="question"),
        pytest.param("had chest pain yesterday, ok today", E, id="yesterday"),
        # readings written in words
        pytest.param("my blood pressure was 88 over 50", U, id="pressure-over"),
        pytest.param("temperature one hundred and one", U, id="temperature-in-words"),
        pytest.param("treinta y ocho y medio", U, id="es-temperature-in-words"),
        # benign words that look like signs
        pytest.param("my chest port site is sore", X, id="chest-port"),
        pytest.param("passed out flyers at church today, fun", X, id="passed-out-flyers"),
        pytest.param("I feel wiped out", X, id="feel-is-not-fell"),
    ],
)
def test_levels_of_generalised_families(text: str, level: Level) -> None:
    assert decide(text).level is level
