"""Subscribers to and from CSV: columns email, webhook_url, components (component ids separated
by `;`, empty for everything), and on export a status.

A file is read and every row checked before anything is written; one bad row refuses the whole
file with a report naming each bad row and column.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from clearline.core.errors import ClearlineError
from clearline.notify import selectors, services
from clearline.notify.services import ImportRow
from clearline.statuspage import selectors as public

COLUMNS = ["email", "webhook_url", "components"]
EXPORT_COLUMNS = [*COLUMNS, "status"]
# An exported row in one of these states is not subscribed: importing it again would be a
# subscription nobody asked for.
NOT_SUBSCRIBED = {"unsubscribed", "suppressed", "disabled"}
KNOWN_STATUSES = NOT_SUBSCRIBED | {"confirmed", "unconfirmed", ""}


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class FileRefused(ClearlineError):
    def __init__(self, errors: list[RowError]):
        count = len(errors)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} found; nothing was imported.",
            field="file",
        )
        self.errors = errors


@dataclass
class Checked:
    rows: list[ImportRow]
    skipped: int  # exported rows that were no longer subscribed


def read_rows(text: str, *, progress: Callable[[int], None] | None = None) -> Checked:
    """Every row of the file, checked; FileRefused lists every problem found."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))  # a spreadsheet's BOM
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [name for name in COLUMNS if name not in header]
    unknown = [name for name in header if name not in EXPORT_COLUMNS]
    errors = [RowError(1, name, "this column is missing from the header") for name in missing]
    errors += [
        RowError(1, name, f"unknown column; the columns are {', '.join(EXPORT_COLUMNS)}")
        for name in unknown
    ]
    if errors:
        raise FileRefused(errors)
    components = {c.public_id: c for c in public.public_components()}
    seen: dict[str, int] = {}
    rows, skipped = [], 0
    for number, record in enumerate(reader, 2):
        if progress:
            progress(number - 1)
        found = _check(number, record, components, seen)
        if isinstance(found, list):
            errors += found
        elif found is None:
            skipped += 1
        else:
            rows.append(found)
    if errors:
        raise FileRefused(errors)
    return Checked(rows, skipped)


def _check(number: int, record: dict, components: dict, seen: dict) -> ImportRow | list | None:
    """The row to import, None for a row to skip, or the row's problems."""
    if None in record:
        return [RowError(number, "components", "more fields than the header has columns")]
    email = (record.get("email") or "").strip()
    url = (record.get("webhook_url") or "").strip()
    status = (record.get("status") or "").strip().lower()
    problems = []
    if status not in KNOWN_STATUSES:
        problems.append(RowError(number, "status", f"unknown status {status!r}"))
    if status in NOT_SUBSCRIBED:
        return None
    if email and url:
        problems.append(RowError(number, "email", "give an email or a webhook_url, not both"))
    elif not email and not url:
        problems.append(RowError(number, "email", "empty: give an email or a webhook_url"))
    else:
        column = "email" if email else "webhook_url"
        try:
            address = (
                services.clean_email(email, field=column)
                if email
                else services.clean_url(url, field=column)
            )
        except ClearlineError as refusal:
            problems.append(RowError(number, column, refusal.message))
        else:
            if address in seen:
                problems.append(
                    RowError(number, column, f"the same address as row {seen[address]}")
                )
            seen.setdefault(address, number)
            email, url = (address, "") if email else ("", address)
    chosen = []
    for public_id in (record.get("components") or "").split(";"):
        public_id = public_id.strip()
        if not public_id:
            continue
        if public_id not in components:
            problems.append(
                RowError(
                    number,
                    "components",
                    f"no component on the status page has the id {public_id!r}",
                )
            )
        else:
            chosen.append(components[public_id])
    if problems:
        return problems
    confirmed = {"confirmed": True, "unconfirmed": False}.get(status)
    return ImportRow(number, email, url, chosen, confirmed)


def export_rows(out: TextIO) -> int:
    """Every subscription to the whole page (not those of one incident) as CSV; the count."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for subscriber in (
        selectors.subscribers().filter(incident__isnull=True).iterator(chunk_size=2000)
    ):
        writer.writerow(
            [
                subscriber.email,
                subscriber.url,
                ";".join(c.public_id for c in subscriber.components.all()),
                selectors.status_of(subscriber),
            ]
        )
        count += 1
    return count
