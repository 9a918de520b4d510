"""What DSWatch does, use case by use case: the table of contents of the system.

Each function loads rows, asks monitor.domain to decide, and writes the decision. Web routes,
jobs and the CLI call these and nothing below them.

Enrolment and care teams
    enrol, check_enrolment, plan_import, write_import, add_team, add_nurse
Changing monitoring
    pause, resume, stop, update_details, add_course, set_course_date
The daily cycle (jobs)
    dispatch_due, send_reminders, mark_missed, close_ended_windows
Texts from patients and nurses (the webhook), alerts and acknowledgement
    receive_sms, inbound_from_form, process_pending, escalate_due, list_open,
    acknowledge_by_name (STOP and carrier opt-outs share services/opting_out.py)
Outbox
    drain_outbox, recover_lapsed, record_delivery_status
Reading
    list_patients, patient_detail, recent_messages, next_due_at, list_teams
"""

from monitor.services.acknowledgement import EscalationError, acknowledge_by_name
from monitor.services.care_teams import CareTeamError, add_nurse, add_team, list_teams
from monitor.services.checkins import close_ended_windows, mark_missed, send_reminders
from monitor.services.delivery import record_delivery_status
from monitor.services.dispatch import dispatch_due
from monitor.services.enrolment import (
    CourseRequest,
    EnrolmentError,
    EnrolmentRequest,
    check_enrolment,
    enrol,
)
from monitor.services.escalation import escalate_due, list_open
from monitor.services.importing import ImportFileError, plan_import, read_rows, write_import
from monitor.services.inbound import InboundError, InboundSms, process_pending, receive_sms
from monitor.services.inbound import from_form as inbound_from_form
from monitor.services.outbox import drain_outbox, recover_lapsed
from monitor.services.patients import (
    PatientError,
    add_course,
    pause,
    resume,
    set_course_date,
    stop,
    update_details,
)
from monitor.services.queries import list_patients, next_due_at, patient_detail, recent_messages

__all__ = [
    "CareTeamError",
    "CourseRequest",
    "EnrolmentError",
    "EnrolmentRequest",
    "EscalationError",
    "ImportFileError",
    "InboundError",
    "InboundSms",
    "PatientError",
    "acknowledge_by_name",
    "add_course",
    "add_nurse",
    "add_team",
    "check_enrolment",
    "close_ended_windows",
    "dispatch_due",
    "drain_outbox",
    "enrol",
    "escalate_due",
    "inbound_from_form",
    "list_open",
    "list_patients",
    "list_teams",
    "mark_missed",
    "next_due_at",
    "patient_detail",
    "pause",
    "plan_import",
    "process_pending",
    "read_rows",
    "receive_sms",
    "recent_messages",
    "record_delivery_status",
    "recover_lapsed",
    "resume",
    "send_reminders",
    "set_course_date",
    "stop",
    "update_details",
    "write_import",
]
