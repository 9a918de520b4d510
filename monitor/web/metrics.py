"""GET /metrics: Prometheus text format, from the database so every process reports the same.

Written by hand (the format is a few lines of text) rather than adding a client library.
"""

from __future__ import annotations

from fastapi import APIRouter, Header, HTTPException
from fastapi.responses import PlainTextResponse

from monitor.services.operations import Snapshot, snapshot
from monitor.web.deps import RuntimeDep

router = APIRouter()


def _line(name: str, value: float, **labels: str) -> str:
    if labels:
        rendered = ",".join(
            f'{key}="{str(val).replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"'
            for key, val in labels.items()
        )
        return f"{name}{{{rendered}}} {value:g}"
    return f"{name} {value:g}"


def render(state: Snapshot) -> str:
    families: list[tuple[str, str, str, list[str]]] = [
        (
            "dswatch_outbox_depth",
            "gauge",
            "Messages queued or being sent, by priority (0 emergency, 1 alert, 2 reply, 5 routine)",
            [
                _line("dswatch_outbox_depth", n, priority=str(p))
                for p, n in state.outbox_depth.items()
            ],
        ),
        (
            "dswatch_outbox_oldest_due_seconds",
            "gauge",
            "Age of the oldest message that is due and not yet sent",
            [
                _line("dswatch_outbox_oldest_due_seconds", age, band=band)
                for band, age in state.oldest_due_seconds.items()
            ],
        ),
        (
            "dswatch_messages_sent_total",
            "counter",
            "Messages accepted by the provider, by kind",
            [
                _line("dswatch_messages_sent_total", n, kind=k)
                for k, n in state.sent_by_kind.items()
            ],
        ),
        (
            "dswatch_messages_failed_total",
            "counter",
            "Messages that failed permanently, by provider error code",
            [
                _line("dswatch_messages_failed_total", n, code=c)
                for c, n in state.failed_by_code.items()
            ],
        ),
        (
            "dswatch_delivery_status",
            "gauge",
            "Outbound messages by the provider's latest delivery status",
            [_line("dswatch_delivery_status", n, status=s) for s, n in state.delivery.items()],
        ),
        (
            "dswatch_checkins",
            "gauge",
            "Check-ins by status",
            [_line("dswatch_checkins", n, status=s) for s, n in state.checkins.items()],
        ),
        (
            "dswatch_escalations_open",
            "gauge",
            "Escalations not yet acknowledged, by level",
            [
                _line("dswatch_escalations_open", n, level=lv)
                for lv, n in state.open_escalations.items()
            ],
        ),
        (
            "dswatch_escalation_oldest_unacknowledged_seconds",
            "gauge",
            "Age of the oldest unacknowledged escalation",
            [
                _line(
                    "dswatch_escalation_oldest_unacknowledged_seconds",
                    state.oldest_open_escalation_seconds,
                )
            ],
        ),
        (
            "dswatch_job_duration_seconds",
            "gauge",
            "Duration of each job's last tick",
            [
                _line("dswatch_job_duration_seconds", job.duration_ms / 1000, job=job.job)
                for job in state.jobs
            ],
        ),
        (
            "dswatch_job_last_run_age_seconds",
            "gauge",
            "Seconds since each job last finished a tick",
            [
                _line("dswatch_job_last_run_age_seconds", job.age_seconds, job=job.job)
                for job in state.jobs
            ],
        ),
        (
            "dswatch_job_runs_total",
            "counter",
            "Ticks run per job",
            [_line("dswatch_job_runs_total", job.runs, job=job.job) for job in state.jobs],
        ),
        (
            "dswatch_job_last_ok",
            "gauge",
            "1 when the job's last tick finished without an error",
            [_line("dswatch_job_last_ok", 1 if job.ok else 0, job=job.job) for job in state.jobs],
        ),
    ]
    lines: list[str] = []
    for name, kind, help_text, samples in families:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        lines.extend(samples)
    return "\n".join(lines) + "\n"


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(runtime: RuntimeDep, authorization: str | None = Header(default=None)) -> str:
    token = runtime.settings.metrics_token
    if token is not None and authorization != f"Bearer {token.get_secret_value()}":
        raise HTTPException(
            status_code=401, detail="send Authorization: Bearer <DSWATCH_METRICS_TOKEN>"
        )
    return render(snapshot(runtime, runtime.clock.now()))
