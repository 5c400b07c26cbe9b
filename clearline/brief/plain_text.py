"""The brief as plain text, ready to paste into an email reply or a chat message.

Plain text only: what is pasted is read as text, so nothing here is HTML and nothing needs
escaping — the page escapes it where it shows it.
"""

from zoneinfo import ZoneInfo

from clearline.brief.selectors import Brief
from clearline.core.clock import time_label


def _status_lines(brief: Brief, zone: ZoneInfo) -> list[str]:
    status = brief.status
    if status is None:
        return ["We have not published an update on this yet."]
    lines = [
        f"Status: {status.get_status_display()} (as of {time_label(status.published_at, zone)})",
        "",
        status.body,
    ]
    if status.next_update_due and not brief.incident.is_resolved:
        lines += ["", f"Next update by {time_label(status.next_update_due, zone)}."]
    return lines


def email_text(brief: Brief, zone: ZoneInfo) -> str:
    lines = ["Hello,", "", f"Here is where things stand with “{brief.incident.title}”.", ""]
    lines += _status_lines(brief, zone)
    for answer in [*brief.approved_answers, *brief.faq]:
        lines += ["", answer.question, answer.text]
    lines += ["", "If you have questions, reply to this email and we will answer them."]
    return "\n".join(lines) + "\n"


def chat_text(brief: Brief, zone: ZoneInfo) -> str:
    """Short: the title, the status with its time, the approved words, and the next update."""
    status = brief.status
    if status is None:
        return f"{brief.incident.title}: we have not published an update on this yet.\n"
    lines = [
        f"{brief.incident.title} — {status.get_status_display()} "
        f"(as of {time_label(status.published_at, zone)}):",
        status.body,
    ]
    if status.next_update_due and not brief.incident.is_resolved:
        lines.append(f"Next update by {time_label(status.next_update_due, zone)}.")
    return "\n".join(lines) + "\n"
