"""The demo's customer updates pass the checks as written; only the drill's notes are overridden."""

import pytest

from clearline import demo
from clearline.updates.models import Update


@pytest.mark.django_db
def test_only_the_drill_needs_an_override_in_the_demo():
    demo.load()
    overridden = Update.objects.exclude(override_reason="")
    assert Update.objects.count() > 20
    assert {u.incident.title for u in overridden} == {"Drill: payouts delayed for all regions"}
    assert all(u.incident.is_drill for u in overridden)
    assert {u.override_reason for u in overridden} == {demo.DRILL_OVERRIDE}
