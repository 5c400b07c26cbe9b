"""Key accounts named by support are linked to the incident; once it is resolved, each one's
owner gets a follow-up due two business days later, with the approved text to start from."""

from datetime import date

import pytest

from clearline.brief import services as brief
from clearline.core.errors import ClearlineError, Conflict, PermissionDenied
from clearline.core.permissions import SYSTEM
from clearline.loop import accounts, followups, selectors
from clearline.loop.models import FollowUp, IncidentAccount
from clearline.reviews import preliminary
from clearline.updates.services import publish_update
from tests.factories import approve, run_jobs
from tests.loop.conftest import at, incident_for, resolve
from tests.unchanged import nothing_changes


def _signal(incident, person, account):
    return brief.log_signal(
        incident=incident, by=person, kind="report", text="Invoices stuck", account=account
    )


def test_a_signal_naming_a_key_account_links_it_whatever_the_case_and_spacing(acme, people):
    incident = incident_for(people)
    _signal(incident, people["support"], "  acme   FREIGHT ")
    _signal(incident, people["support"], "Acme Freight")
    _signal(incident, people["support"], "Someone Else Ltd")
    [link] = IncidentAccount.objects.filter(incident=incident)
    assert (link.account, link.source) == (acme, "signal")


def test_the_owner_gets_a_follow_up_two_business_days_after_the_resolution(acme, people, seller):
    # Friday afternoon in London: the follow-up is due on Tuesday.
    incident = incident_for(people, started=at("2026-11-27", "12:00"))
    _signal(incident, people["support"], "Acme Freight")
    resolve(incident, at=at("2026-11-27", "15:00"))
    [follow_up] = FollowUp.objects.filter(incident=incident)
    assert (follow_up.account, follow_up.owner, follow_up.due_date) == (
        acme,
        seller,
        date(2026, 12, 1),
    )
    start = selectors.starting_text(incident)
    assert start.label == "The published resolution"
    assert start.update.body == "Card payments work again for everyone."


def test_the_text_to_start_from_is_the_preliminary_report_once_published(acme, people):
    incident = incident_for(people)
    _signal(incident, people["support"], "Acme Freight")
    resolve(incident)
    report = preliminary.preliminary_report(incident)
    approve(report)
    publish_update(update=report, by=SYSTEM)
    start = selectors.starting_text(incident)
    assert (start.label, start.update) == ("The published preliminary report", report)


def test_a_business_day_count_can_be_configured(acme, people, settings):
    settings.CLEARLINE_FOLLOW_UP_BUSINESS_DAYS = 5
    incident = incident_for(people, started=at("2026-11-27", "12:00"))
    _signal(incident, people["support"], "Acme Freight")
    resolve(incident, at=at("2026-11-27", "15:00"))
    assert FollowUp.objects.get(incident=incident).due_date == date(2026, 12, 4)


def test_an_account_linked_by_hand_after_the_resolution_gets_its_follow_up_at_once(acme, people):
    incident = resolve(incident_for(people))
    accounts.link_account(incident=incident, account=acme, by=people["comms"])
    assert FollowUp.objects.get(incident=incident).owner == acme.owner
    # A second resolution message (the worker running again) makes no second follow-up.
    run_jobs()
    followups.create_follow_ups(incident=incident)
    assert FollowUp.objects.filter(incident=incident).count() == 1


def test_nothing_is_created_while_the_incident_runs(acme, people):
    incident = incident_for(people)
    accounts.link_account(incident=incident, account=acme, by=people["comms"])
    assert not FollowUp.objects.exists()


def test_the_owner_marks_it_done_with_a_note(acme, people, seller):
    incident = resolve(incident_for(people))
    accounts.link_account(incident=incident, account=acme, by=people["comms"])
    follow_up = FollowUp.objects.get()
    with nothing_changes(), pytest.raises(ClearlineError) as refused:
        followups.complete_follow_up(follow_up=follow_up, by=seller, note="  ")
    assert refused.value.field == "note"
    followups.complete_follow_up(
        follow_up=follow_up, by=seller, note="Called their ops lead; sent the report."
    )
    follow_up.refresh_from_db()
    assert follow_up.is_done and follow_up.done_by == seller
    with pytest.raises(Conflict):
        followups.complete_follow_up(follow_up=follow_up, by=seller, note="Again.")


def test_another_viewer_may_not_mark_it_done(acme, people):
    incident = resolve(incident_for(people))
    accounts.link_account(incident=incident, account=acme, by=people["comms"])
    with nothing_changes(), pytest.raises(PermissionDenied):
        followups.complete_follow_up(
            follow_up=FollowUp.objects.get(), by=people["support"], note="Not mine."
        )


def test_overdue_follow_ups_are_marked(acme, people):
    incident = incident_for(people, started=at("2026-11-27", "12:00"))
    accounts.link_account(incident=incident, account=acme, by=people["comms"])
    resolve(incident, at=at("2026-11-27"))
    [item] = selectors.listed(selectors.follow_ups(owner=acme.owner), on=date(2026, 12, 3))
    assert item.overdue
    [item] = selectors.listed(selectors.follow_ups(owner=acme.owner), on=date(2026, 12, 1))
    assert not item.overdue
