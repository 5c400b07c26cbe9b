"""Key accounts: kept by hand or imported from a spreadsheet, and linked to the incidents that
touched them, from the customer-signal log or by hand."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clearline.accounts.roles import role_of
from clearline.core import audit, limits, permissions
from clearline.core.errors import ClearlineError, Conflict
from clearline.incidents.models import Incident
from clearline.loop import followups
from clearline.loop.models import FollowUp, IncidentAccount, KeyAccount, LinkSource, Tier, name_key

COLUMNS = ["name", "tier", "renewal_date", "owner", "notes"]
# A spreadsheet of every customer is not a key-account list; refusing it early says so.
MOST_ROWS = 5_000


class ImportRefused(ClearlineError):
    """A CSV file with bad rows: nothing was imported; `problems` holds (row, field, message)."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        lines = [f"row {row}, {field}: {message}" for row, field, message in problems]
        super().__init__(
            f"Nothing was imported: {len(problems)} problem(s) in the file. " + "; ".join(lines),
            field="file",
        )
        self.problems = problems


def owner_named(value: str):
    """An active person with a role, by username or email address; None when nobody fits."""
    value = value.strip()
    if not value:
        return None
    users = get_user_model().objects.filter(is_active=True)
    found = list(users.filter(Q(username=value) | Q(email__iexact=value))[:2])
    return found[0] if len(found) == 1 and role_of(found[0]) is not None else None


def _tier(value: str) -> str:
    value = value.strip().casefold()
    for tier in Tier:
        if value in (tier.value, tier.label.casefold()):
            return tier.value
    raise ClearlineError(f"Choose a tier: one of {', '.join(Tier.values)}.", field="tier")


def _fields(*, name: str, tier: str, renewal_date: date | None, owner, notes: str) -> dict:
    name = " ".join((name or "").split())
    if not name:
        raise ClearlineError("Give the account's name.", field="name")
    limits.accept(name, limits.SIGNAL_ACCOUNT, field="name")
    limits.accept(notes or "", limits.ACTION_NOTE, field="notes")
    if owner is None or not owner.is_active or role_of(owner) is None:
        raise ClearlineError(
            "Give the account owner: an active person with a role in clearline.", field="owner"
        )
    return {
        "name": name,
        "tier": _tier(tier or Tier.ENTERPRISE),
        "renewal_date": renewal_date,
        "owner": owner,
        "notes": (notes or "").strip(),
    }


@transaction.atomic
def save_key_account(
    *,
    by,
    name: str,
    owner,
    tier: str = Tier.ENTERPRISE,
    renewal_date: date | None = None,
    notes: str = "",
    account: KeyAccount | None = None,
) -> KeyAccount:
    """Add a key account, or change `account`; a name already taken (in any case) is refused."""
    permissions.require_perm(
        by, "loop.add_keyaccount" if account is None else "loop.change_keyaccount"
    )
    fields = _fields(name=name, tier=tier, renewal_date=renewal_date, owner=owner, notes=notes)
    renewal_date = fields["renewal_date"]
    taken = KeyAccount.objects.filter(name_key=name_key(fields["name"]))
    if account is not None:
        taken = taken.exclude(pk=account.pk)
    if taken.exists():
        raise ClearlineError(f"A key account is already called {fields['name']!r}.", field="name")
    account = account or KeyAccount()
    for key, value in fields.items():
        setattr(account, key, value)
    account.save()
    audit.record(
        actor=by,
        action="key_account.saved",
        obj=account,
        summary=f"Saved the key account “{account.name}”",
        changes={
            **fields,
            "owner": fields["owner"].get_username(),
            "renewal_date": renewal_date.isoformat() if renewal_date else None,
        },
    )
    return account


def _renewal(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ClearlineError(
            f"{value!r} is not a date; write it as YYYY-MM-DD.", field="renewal_date"
        ) from None


@transaction.atomic
def import_key_accounts(*, by, text: str) -> tuple[int, int]:
    """Add or update the key accounts of a CSV file (columns `COLUMNS`, a header row first),
    matched by name; (added, changed). A file with any bad row imports nothing and names each
    problem by its row number, counting the header as row 1."""
    permissions.require_perm(by, "loop.add_keyaccount")
    permissions.require_perm(by, "loop.change_keyaccount")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(name or "").strip().casefold() for name in (reader.fieldnames or [])]
    missing = [name for name in ("name", "owner") if name not in header]
    if missing:
        raise ImportRefused([(1, name, "this column is missing") for name in missing])
    reader.fieldnames = header
    rows, problems, seen = [], [], {}
    for number, row in enumerate(reader, start=2):
        if number - 1 > MOST_ROWS:
            raise ImportRefused([(number, "file", f"more than {MOST_ROWS} accounts")])
        values = {key: (row.get(key) or "").strip() for key in COLUMNS}
        if not any(values.values()):
            continue
        try:
            owner = owner_named(values["owner"])
            if owner is None:
                raise ClearlineError(
                    f"no active person with a role is called {values['owner']!r}"
                    if values["owner"]
                    else "give the account owner's username or email address",
                    field="owner",
                )
            fields = _fields(
                name=values["name"],
                tier=values["tier"],
                renewal_date=_renewal(values["renewal_date"]),
                owner=owner,
                notes=values["notes"],
            )
        except ClearlineError as error:
            problems.append((number, error.field or "row", error.message.rstrip(".")))
            continue
        key = name_key(fields["name"])
        if key in seen:
            problems.append((number, "name", f"the same account as row {seen[key]}"))
            continue
        seen[key] = number
        rows.append(fields)
    if problems:
        raise ImportRefused(problems)
    existing = {a.name_key: a for a in KeyAccount.objects.filter(name_key__in=list(seen))}
    added = changed = 0
    for fields in rows:
        save_key_account(by=by, account=existing.get(name_key(fields["name"])), **fields)
        if name_key(fields["name"]) in existing:
            changed += 1
        else:
            added += 1
    return added, changed


def _cell(value: str) -> str:
    """A cell a spreadsheet shows as text rather than runs as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_key_accounts(accounts) -> str:
    """The accounts as CSV in the import's columns, so an export imports back unchanged."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for account in accounts:
        writer.writerow(
            _cell(value)
            for value in (
                account.name,
                account.tier,
                account.renewal_date.isoformat() if account.renewal_date else "",
                account.owner.get_username(),
                account.notes,
            )
        )
    return out.getvalue()


@dataclass(frozen=True)
class Linked:
    link: IncidentAccount
    created: bool


def link_account(
    *,
    incident: Incident,
    account: KeyAccount,
    by,
    source: str = LinkSource.HAND,
    now: datetime | None = None,
) -> Linked:
    """Link a key account to an incident (once); on a resolved incident its owner's follow-up is
    created at once, as a resolution would have."""
    permissions.require_perm(by, "loop.add_incidentaccount")
    now = now or timezone.now()
    with transaction.atomic():
        link, created = IncidentAccount.objects.get_or_create(
            incident=incident,
            account=account,
            defaults={"source": source, "linked_by": permissions.person(by), "linked_at": now},
        )
        if created:
            audit.record(
                actor=by,
                action="key_account.linked",
                obj=link,
                summary=f"Linked the key account “{account.name}” to “{incident.title}”",
                changes={"source": source},
            )
            # Linked after the resolution: the owner's follow-up starts now (none while it runs).
            followups.create_follow_ups(incident=incident, now=now)
    return Linked(link, created)


def link_named_account(*, incident: Incident, name: str, by, now: datetime | None = None):
    """Link the key account called `name` (any case, any spacing) if there is one; else None."""
    key = name_key(name or "")
    account = KeyAccount.objects.filter(name_key=key).first() if key else None
    if account is None:
        return None
    return link_account(
        incident=incident, account=account, by=by, source=LinkSource.SIGNAL, now=now
    )


# What an unlink did to the account's follow-up on the incident.
FOLLOW_UP_REMOVED = "removed"
FOLLOW_UP_KEPT = "kept"


@dataclass(frozen=True)
class Unlinked:
    """The account no longer linked, and what became of its follow-up on the incident:
    `FOLLOW_UP_REMOVED`, `FOLLOW_UP_KEPT`, or None when none had started."""

    account: KeyAccount
    follow_up: str | None


@transaction.atomic
def unlink_account(*, incident: Incident, account: KeyAccount, by) -> Unlinked:
    """Take back a link made by mistake. The account's open follow-up on the incident goes with
    it: it was owed only because of the link. A follow-up already done stays, as the record of
    what the customer was told."""
    permissions.require_perm(by, "loop.delete_incidentaccount")
    link = (
        IncidentAccount.objects.select_for_update()
        .filter(incident=incident, account=account)
        .first()
    )
    if link is None:
        raise Conflict(
            f"“{account.name}” is not linked to this incident.", field="account", code="not_linked"
        )
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("owner")
        .filter(incident=incident, account=account)
        .first()
    )
    outcome = None
    if follow_up is not None and follow_up.is_done:
        outcome = FOLLOW_UP_KEPT
    elif follow_up is not None:
        outcome = FOLLOW_UP_REMOVED
        audit.record(
            actor=by,
            action="follow_up.withdrawn",
            obj=follow_up,
            summary=f"Withdrew {follow_up.owner.get_username()}'s follow-up with "
            f"“{account.name}” on “{incident.title}”: the account was unlinked",
            changes={
                "owner": follow_up.owner.get_username(),
                "due_date": follow_up.due_date.isoformat(),
            },
        )
        follow_up.delete()
    audit.record(
        actor=by,
        action="key_account.unlinked",
        obj=link,
        summary=f"Unlinked the key account “{account.name}” from “{incident.title}”",
        changes={"source": link.source, "follow_up": outcome},
    )
    link.delete()
    return Unlinked(account, outcome)
