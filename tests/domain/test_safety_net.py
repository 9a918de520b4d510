"""The safety net (monitor/domain/safety_net.py): an emergency-domain word the phrase lists did
not read escalates to emergency with a reason, unless it is clearly negated, reassured or about
something else (a test, a device, an idiom)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.domain.parsing import parse_reply
from monitor.domain.safety_net import LABELS, Concern, scan, stem_domain
from monitor.domain.triage import triage_text

NET = "escalated to be safe"


def net_reasons(text: str) -> list[str]:
    return [reason for reason in triage_text(text)["reasons"] if NET in str(reason)]


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        # breathing
        pytest.param("can't brthe", "breathing", id="breath-typo"),
        pytest.param("not brthing right", "breathing", id="negated-breath-typo-stays"),
        pytest.param("my lungs feel weird", "breathing", id="lungs"),
        pytest.param("need air", "breathing", id="air"),
        pytest.param("I'm on oxygen now", "breathing", id="oxygen-no-reading"),
        pytest.param("inhaler not helping", "breathing", id="inhaler"),
        pytest.param("los pulmones raros", "breathing", id="es-lungs"),
        pytest.param("el aliento se me acaba", "breathing", id="es-aliento"),
        pytest.param("asma", "breathing", id="es-asthma"),
        pytest.param("can't catch my bread", "breathing", id="dictation-bread"),
        pytest.param("I'm having trouble breeding", "breathing", id="dictation-breeding"),
        pytest.param("out of puff", "breathing", id="out-of-puff"),
        pytest.param("have to sleep sitting up", "breathing", id="orthopnoea"),
        pytest.param("lungs ok when resting", "breathing", id="fine-only-at-rest"),
        pytest.param("🫁😰", "breathing", id="lungs-emoji"),
        # chest
        pytest.param("my chest is on fire", "chest", id="chest-on-fire"),
        pytest.param("chest pane when I lay down", "chest", id="chest-pane"),
        pytest.param("mi chest me duele bastante", "chest", id="spanglish-chest"),
        pytest.param("dolor en el torax", "chest", id="es-torax"),
        pytest.param("chest and left arm", "chest", id="chest-and-arm"),
        pytest.param("pecho", "chest", id="es-pecho-alone"),
        pytest.param("test pain", "chest", id="dictation-test-pain"),
        pytest.param("me duele el techo", "chest", id="dictation-techo"),
        # heart, in a symptom sense
        pytest.param("heart is racing", "heart", id="heart-racing"),
        pytest.param("my heart feels funny", "heart", id="heart-funny"),
        pytest.param("pain near my heart", "heart", id="pain-near-heart"),
        pytest.param("palpitations", "heart", id="palpitations"),
        pytest.param("corazon acelerado", "heart", id="es-heart"),
        # fainting and consciousness
        pytest.param("I faint when I stand", "consciousness", id="faint-habitual"),
        pytest.param("feinted", "consciousness", id="feinted"),
        pytest.param("he's barely conscious", "consciousness", id="barely-conscious"),
        pytest.param("not conscious", "consciousness", id="negated-conscious-stays"),
        pytest.param("sin conocimiento", "consciousness", id="es-sin-conocimiento"),
        pytest.param("siezure", "consciousness", id="seizure-typo"),
        pytest.param("convulciones", "consciousness", id="es-convulsion-typo"),
        pytest.param("past out in the shower", "consciousness", id="past-out"),
        # colour, blood, confusion
        pytest.param("su color no es bueno", "colour", id="es-colour"),
        pytest.param("his colour is off", "colour", id="colour-off"),
        pytest.param("phlegm is kind of pink", "blood", id="pink-phlegm"),
        pytest.param("coughing, some red on the tissue", "blood", id="red-tissue"),
        pytest.param("desubicada", "confusion", id="es-desubicada"),
        pytest.param("he is talking to people who arent there", "confusion", id="people-not-there"),
        pytest.param("echo showed fluid around my heart", "fluid", id="pericardial-fluid"),
        pytest.param("they said I have a pleural effusion", "fluid", id="pleural-effusion"),
        pytest.param("tengo liquido alrededor del corazon", "fluid", id="es-pericardial-fluid"),
    ],
)
def test_an_unread_dangerous_mention_escalates(text: str, domain: str) -> None:
    result = triage_text(text)
    assert result["level"] == "emergency"
    reasons = net_reasons(text)
    assert reasons, result["reasons"]
    assert any(f"mentions {LABELS[domain]} (" in reason for reason in reasons), reasons


@pytest.mark.parametrize(
    "text",
    [
        # negated or reassured
        pytest.param("no chest issues", id="negated-chest"),
        pytest.param("no problems with my lungs", id="negated-problem"),
        pytest.param("sin problemas del corazon", id="es-negated-problem"),
        pytest.param("lungs feel good today", id="lungs-good"),
        pytest.param("lungs clear", id="lungs-clear"),
        pytest.param("Breath is fine. Heart is fine. All good.", id="all-fine"),
        pytest.param("dr said my heart sounds good", id="heart-sounds-good"),
        pytest.param("feel ok, no palpitations", id="no-palpitations"),
        pytest.param("no seizures", id="no-seizures"),
        pytest.param("not confused", id="not-confused"),
        pytest.param("no blood, no cough", id="no-blood-no-cough"),
        pytest.param("sats 97", id="oxygen-reading"),
        pytest.param("saturacion 96", id="es-oxygen-reading"),
        # tests, devices, appointments
        pytest.param("chest x-ray tomorrow at 9?", id="chest-xray"),
        pytest.param("xray of my chest was normal", id="xray-of-chest"),
        pytest.param("chest port flush is tuesday right?", id="chest-port"),
        pytest.param("port in my chest is itchy", id="port-in-chest"),
        pytest.param("mañana tengo radiografía de torax", id="es-radiografia"),
        pytest.param("me lavaron el port del pecho hoy", id="es-port"),
        pytest.param("oxygen tank delivery is tomorrow", id="oxygen-tank"),
        pytest.param("need a refill on my inhaler, I'm fine just running low", id="inhaler-refill"),
        pytest.param("lung function test friday", id="lung-function-test"),
        pytest.param("heart doctor friday", id="heart-doctor"),
        pytest.param("heart rate 72", id="heart-rate"),
        pytest.param("blood draw went fine, arm is bruised", id="blood-draw"),
        pytest.param("me sacaron sangre hoy para los análisis", id="es-blood-draw"),
        # other body matters on the chest, idioms
        pytest.param("rash on my chest", id="rash-on-chest"),
        pytest.param("me salió una erupción en el pecho y la espalda", id="es-rash-on-chest"),
        pytest.param("ate chicken breast for dinner, feeling good", id="chicken-breast"),
        pytest.param("bad breath from the mouthwash lol", id="bad-breath"),
        pytest.param("tengo mal aliento", id="es-bad-breath"),
        pytest.param("you took my breath away", id="breath-away"),
        pytest.param("holding my breath for the results lol", id="hold-breath"),
        pytest.param("aire acondicionado roto", id="es-air-conditioning"),
        pytest.param("fresh air walk today, felt good", id="fresh-air"),
        pytest.param("cant breathe through my nose, stuffy", id="nose"),
        pytest.param("my heart goes out to the nurses working today", id="heart-goes-out"),
        pytest.param("gracias de corazon", id="es-de-corazon"),
        pytest.param("my heart is broken bc my team lost 😂", id="heart-broken"),
        pytest.param("para su conocimiento tengo cita el lunes", id="es-para-su-conocimiento"),
        pytest.param("health conscious eating", id="health-conscious"),
        pytest.param("faint pink rash on my arm", id="faint-rash"),
        pytest.param("confused about my appointment time", id="confused-about"),
        pytest.param("me confundi con la hora de la pastilla", id="es-confundi-con"),
        pytest.param("feeling blue today, hands cold", id="feeling-blue"),
        pytest.param("seizure meds refill please", id="seizure-meds"),
        pytest.param("no fluid around the heart per echo", id="no-fluid"),
        pytest.param("drink more fluids", id="drink-fluids"),
        # heartburn: a complaint, not chest pain (see safety_net.py)
        pytest.param("heartburn after pizza", id="heartburn"),
        pytest.param("heart burn after tacos", id="heart-burn"),
        pytest.param("tengo acidez después de comer", id="es-acidez"),
        pytest.param("tengo agruras", id="es-agruras"),
    ],
)
def test_a_safe_mention_is_not_escalated(text: str) -> None:
    result = triage_text(text)
    assert result["level"] not in ("emergency", "urgent"), result
    assert not net_reasons(text)


def test_the_net_adds_no_sign_and_says_why() -> None:
    result = triage_text("my chest is on fire")
    assert result["level"] == "emergency"
    assert result["signs"] == []
    assert result["reasons"] == [
        'mentions the chest ("chest is on fire") and does not say it is fine: escalated to be safe'
    ]


def test_the_net_raises_a_lower_level() -> None:
    result = triage_text("fever 38.5 and my chest is on fire")
    assert result["level"] == "emergency"
    assert result["signs"] == ["fever"]
    assert any(NET in str(reason) for reason in result["reasons"])


def test_the_net_stays_quiet_when_a_sign_is_already_an_emergency() -> None:
    result = triage_text("chest pain and my lungs feel weird")
    assert result["level"] == "emergency"
    assert not net_reasons("chest pain and my lungs feel weird")


def test_words_the_phrase_lists_read_are_left_to_them() -> None:
    """'breathing fine' is read as a "fine" phrase: the net does not look at it again."""
    assert parse_reply("breathing fine").concerns == ()
    assert parse_reply("no chest pain").concerns == ()
    assert parse_reply("didn't pass out").concerns == ()
    words = ["my", "chest", "is", "on", "fire"]
    assert scan(words, words, [(1, 2)]) == ()
    assert scan(words, words, []) == (Concern("chest", "chest is on fire"),)


@pytest.mark.parametrize(
    ("word", "domain"),
    [
        ("breathe", "breathing"),
        ("brthe", "breathing"),
        ("pulmones", "breathing"),
        ("pecho", "chest"),
        ("torax", "chest"),
        ("corazon", "heart"),
        ("desmaye", "consciousness"),
        ("seizure", "consciousness"),
        ("morados", "colour"),
        ("sangre", "blood"),
        ("desorientado", "confusion"),
        ("brother", None),
        ("breather", None),
        ("confusing", None),
        ("disorder", None),
        ("sofocos", None),
        ("airport", None),
        ("heartburn", None),
    ],
)
def test_stems(word: str, domain: str | None) -> None:
    assert stem_domain(word) == domain


@settings(max_examples=300)
@given(
    words=st.lists(
        st.sampled_from(
            ["chest", "no", "fine", "blood", "cough", "blue", "lips", "not", "heart", "racing",
             "air", "x", "ray", "of", "my", ".", ",", "?", "aire", "pecho", "bien", "faint"]
        ),
        max_size=12,
    )
)  # fmt: skip
def test_scan_never_raises_and_quotes_the_words(words: list[str]) -> None:
    for concern in scan(words, words, []):
        assert concern.domain in LABELS
        assert concern.words
        assert NET in concern.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("feel like I'm dying", "emergency"),
        ("siento que me voy a morir", "emergency"),
        ("me estoy muriendo", "emergency"),
        ("should I call an ambulance?", "emergency"),
        ("llamamos a la ambulancia?", "emergency"),
        ("something is very wrong with my husband", "emergency"),
        ("algo anda muy mal con mi mama", "emergency"),
        ("my jaw and left arm hurt", "emergency"),
        ("pain going down my left arm", "emergency"),
        ("me duele el brazo izquierdo y la mandibula", "emergency"),
        ("se me adormece el brazo izquierdo", "emergency"),
        ("sweaty and clammy and weak", "emergency"),
        ("cold sweats all night", "urgent"),  # the phrase lists read it as chills first
        ("sudor frio y mareo", "emergency"),
        ("I'm dying of boredom lol", "unclear"),
        ("dying to see my grandkids", "unclear"),
        ("im dying for a coffee", "unclear"),
        ("me voy a morir de risa con mis nietos", "unclear"),
        ("my left arm is sore from the flu shot", "unclear"),
        ("toothache in my jaw", "unclear"),
    ],
    ids=[
        "feel-dying",
        "es-me-voy-a-morir",
        "es-me-estoy-muriendo",
        "asks-for-ambulance",
        "es-ambulancia",
        "something-very-wrong",
        "es-algo-anda-mal",
        "jaw-and-left-arm",
        "pain-down-left-arm",
        "es-brazo-izquierdo-mandibula",
        "es-brazo-adormecido",
        "clammy",
        "cold-sweats",
        "es-sudor-frio",
        "idiom-dying-of-boredom",
        "idiom-dying-to",
        "idiom-dying-for",
        "es-idiom-morir-de-risa",
        "sore-arm-after-a-shot",
        "toothache",
    ],
)
def test_alarm_without_a_named_body_part(text: str, expected: str) -> None:
    """Dying, an ambulance, jaw or left-arm pain, a cold sweat: escalated; idioms are not."""
    assert triage_text(text)["level"] == expected
