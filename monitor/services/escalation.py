"""Page the care team about a patient until a nurse acknowledges.

An escalation is a row; every alert round is a set of outbox messages (priority above routine
traffic, quiet hours ignored). `escalate_due` repeats and widens rounds on the policy's clock.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.db import claims
from monitor.db.models import CareTeam, Escalation, Nurse, Patient
from monitor.domain import escalation as policy
from monitor.domain.alerts import ALERT_MAX_SEPTETS, DISEASE_WORDS, LABELS, redact
from monitor.domain.gsm import gsm7_length, to_gsm7, truncate_gsm7
from monitor.domain.states import EscalationLevel, MessageKind, Priority
from monitor.domain.wording import short_name
from monitor.runtime import Runtime
from monitor.services.audit import audit
from monitor.services.enrolment import CODE_ALPHABET
from monitor.services.outbox_queue import Outgoing, enqueue

log = logging.getLogger("dswatch.escalation")

ACTOR = "escalation"
NO_RECIPIENT_RETRY = timedelta(minutes=5)
BATCH = 200


def who(patient: Patient) -> str:
    return f"{short_name(patient.name)} ({patient.code})"


def _new_code(session: Session, rng: random.Random) -> str:
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(4))
        if session.scalar(select(Escalation.id).where(Escalation.code == code)) is None:
            return code


def _open_for(session: Session, patient_id: int, levels: set[EscalationLevel]) -> Escalation | None:
    return session.scalars(
        select(Escalation)
        .where(
            Escalation.patient_id == patient_id,
            Escalation.acknowledged_at.is_(None),
            Escalation.level.in_(levels),
        )
        .order_by(Escalation.created_at.desc(), Escalation.id.desc())
        .with_for_update()
    ).first()


def open_escalation(
    session: Session,
    rt: Runtime,
    patient: Patient,
    level: EscalationLevel,
    now: datetime,
    summary: str,
    *,
    words: str | None = None,
    report_id: int | None = None,
    checkin_id: int | None = None,
) -> Escalation:
    """Start paging about `patient`, or fold the event into an escalation already open.

    Triage events merge into the patient's open triage escalation (a more severe one upgrades
    it and pages again at once); opt-out, unclear and delivery failures merge with their own
    kind; every missed check-in is its own event.
    """
    if level in policy.TRIAGE_LEVELS:
        merge_with = set(policy.TRIAGE_LEVELS)
    elif level == EscalationLevel.MISSED:
        merge_with = set()
    else:
        merge_with = {level}
    existing = _open_for(session, patient.id, merge_with) if merge_with else None
    if existing is not None:
        existing.summary = summary[:400]
        existing.words = words[:400] if words else existing.words
        existing.report_id = report_id or existing.report_id
        if policy.more_severe(level, existing.level):
            existing.level = level
            audit(
                session, now, ACTOR, "escalation.upgraded", "escalation", existing.id, level=level
            )
            _alert_round(session, rt, existing, patient, now, restart_clock=True)
        return existing
    escalation = Escalation(
        code=_new_code(session, rt.rng),
        patient_id=patient.id,
        care_team_id=patient.care_team_id,
        level=level,
        report_id=report_id,
        checkin_id=checkin_id,
        summary=summary[:400],
        words=words[:400] if words else None,
        tier=0,
        alert_rounds=0,
        created_at=now,
    )
    session.add(escalation)
    session.flush()
    audit(session, now, ACTOR, "escalation.opened", "escalation", escalation.id, level=level)
    _alert_round(session, rt, escalation, patient, now, restart_clock=True)
    return escalation


def team_nurses(session: Session, team_id: int) -> list[Nurse]:
    return list(session.scalars(select(Nurse).where(Nurse.care_team_id == team_id)))


def _domain(nurses: list[Nurse]) -> list[policy.Nurse]:
    return [policy.Nurse(n.id, n.tier, n.on_call_start, n.on_call_end) for n in nurses]


def _alert_round(
    session: Session,
    rt: Runtime,
    escalation: Escalation,
    patient: Patient,
    now: datetime,
    *,
    restart_clock: bool = False,
    widen: bool = False,
) -> None:
    team = session.get(CareTeam, escalation.care_team_id)
    assert team is not None
    nurses = team_nurses(session, team.id)
    roster = _domain(nurses)
    local = now.astimezone(ZoneInfo(team.timezone)).time()
    previous_tier = escalation.tier
    if escalation.tier == 0:
        escalation.tier = policy.first_tier(roster, local) or 0
    elif widen:
        escalation.tier = policy.next_tier(roster, escalation.tier, local) or escalation.tier
    targets = policy.recipients(roster, escalation.tier, local) if escalation.tier else []
    cadence = rt.protocol.escalation.cadence(escalation.level)
    if widen and cadence.realert_every is None and escalation.tier > previous_tier:
        # Alert-once levels: widening pages only the tier just added.
        targets = [target for target in targets if target.tier > previous_tier]
    if not targets:
        escalation.next_alert_at = now + NO_RECIPIENT_RETRY
        audit(session, now, ACTOR, "escalation.no_recipients", "escalation", escalation.id)
        log.error("escalation id=%s: care team id=%s has no nurse to page", escalation.id, team.id)
        return
    escalation.alert_rounds += 1
    body = alert_body(rt, escalation, patient)
    priority = (
        Priority.EMERGENCY if escalation.level == EscalationLevel.EMERGENCY else Priority.ALERT
    )
    by_id = {nurse.id: nurse for nurse in nurses}
    enqueue(
        session,
        now,
        *(
            Outgoing(
                kind=MessageKind.ALERT,
                to_phone=by_id[target.id].phone,
                body=body,
                key=f"alert:{escalation.id}:{escalation.alert_rounds}:{target.id}",
                priority=priority,
                nurse_id=target.id,
                escalation_id=escalation.id,
            )
            for target in targets
        ),
    )
    planned = policy.plan_round(
        roster,
        escalation.level,
        rt.protocol.escalation,
        now,
        local,
        escalation.tier,
        widened=widen or restart_clock,
        next_tier_at=None if restart_clock else escalation.next_tier_at,
    )
    escalation.next_alert_at = planned.next_alert_at
    escalation.next_tier_at = planned.next_tier_at
    audit(
        session,
        now,
        ACTOR,
        "escalation.alerted",
        "escalation",
        escalation.id,
        tier=escalation.tier,
        round=escalation.alert_rounds,
        nurses=[target.id for target in targets],
    )


def alert_body(rt: Runtime, escalation: Escalation, patient: Patient) -> str:
    """The alert text, with the patient's own words cut so the whole fits three segments."""
    context = {
        "label": LABELS[escalation.level],
        "code": escalation.code,
        "who": who(patient),
        "details": escalation.summary,
        "callback": patient.phone,
    }
    bare = rt.renderer.render("alert", "staff", words="", **context)
    budget = ALERT_MAX_SEPTETS - gsm7_length(bare) - 3  # the quotes and a space
    words = redact(" ".join((escalation.words or "").split()), forbidden_terms(rt))
    words = truncate_gsm7(to_gsm7(words), budget) if budget > 10 else ""
    return rt.renderer.render("alert", "staff", words=words, **context)


def alert_failed(session: Session, rt: Runtime, escalation_id: int, now: datetime) -> None:
    """An alert could not reach its nurse: page the next tier now rather than at the next step.

    Only when a higher tier exists, so a team whose numbers all fail cannot loop.
    """
    escalation = session.scalars(
        select(Escalation).where(Escalation.id == escalation_id).with_for_update()
    ).first()
    if escalation is None or escalation.acknowledged_at is not None:
        return
    team = session.get(CareTeam, escalation.care_team_id)
    assert team is not None
    local = now.astimezone(ZoneInfo(team.timezone)).time()
    roster = _domain(team_nurses(session, escalation.care_team_id))
    if policy.next_tier(roster, escalation.tier, local) is None:
        return
    patient = session.get(Patient, escalation.patient_id)
    assert patient is not None
    audit(session, now, ACTOR, "escalation.alert_failed", "escalation", escalation.id)
    _alert_round(session, rt, escalation, patient, now, widen=True)


def forbidden_terms(rt: Runtime) -> list[str]:
    """Drug names, brands and aliases from the catalogue, and disease words."""
    terms = list(DISEASE_WORDS)
    for drug in rt.catalogue:
        terms.extend((drug.name, drug.key.replace("_", " "), *drug.brands, *drug.aliases))
    return terms


def escalate_due(rt: Runtime, now: datetime) -> int:
    """Repeat and widen every open escalation whose next step has come; returns rounds sent."""
    rounds = 0
    for session, due in claims.claimed_batches(rt.sessions, claims.due_escalations, now, BATCH):
        for escalation in due:
            patient = session.get(Patient, escalation.patient_id)
            assert patient is not None
            widen = escalation.next_tier_at is not None and escalation.next_tier_at <= now
            _alert_round(session, rt, escalation, patient, now, widen=widen)
            rounds += 1
    return rounds


@dataclass(frozen=True)
class OpenEscalation:
    escalation: Escalation
    patient: Patient
    team: str


def list_open(rt: Runtime) -> list[OpenEscalation]:
    with rt.sessions() as session:
        rows = session.execute(
            select(Escalation, Patient, CareTeam.name)
            .join(Patient, Patient.id == Escalation.patient_id)
            .join(CareTeam, CareTeam.id == Escalation.care_team_id)
            .where(Escalation.acknowledged_at.is_(None))
            .order_by(Escalation.created_at)
        ).all()
        return [OpenEscalation(e, p, t) for e, p, t in rows]
