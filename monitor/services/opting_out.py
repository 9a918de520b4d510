"""A patient leaves monitoring from their phone: STOP texted to us, or 21610 from the carrier."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from monitor.db.models import Patient
from monitor.domain.states import EscalationLevel, PatientStatus
from monitor.runtime import Runtime
from monitor.services.audit import audit
from monitor.services.escalation import open_escalation
from monitor.services.planning import refresh_schedule


def opt_out(
    session: Session,
    rt: Runtime,
    patient: Patient,
    now: datetime,
    actor: str,
    why: str,
    **detail: Any,
) -> None:
    """No more messages to this patient; the care team is told when monitoring was live.

    An ended patient opting out needs no nurse (nothing was expected of them any more); an
    already opted-out one is left as is, so a repeated STOP never alerts twice.
    """
    was = patient.status
    if was == PatientStatus.OPTED_OUT:
        return
    patient.status = PatientStatus.OPTED_OUT
    patient.updated_at = now
    refresh_schedule(session, rt.catalogue, rt.protocol.quiet, patient, now)
    audit(session, now, actor, "patient.opted_out", "patient", patient.id, was=was, **detail)
    if was in (PatientStatus.ACTIVE, PatientStatus.PAUSED):
        open_escalation(session, rt, patient, EscalationLevel.OPTED_OUT, now, why)
