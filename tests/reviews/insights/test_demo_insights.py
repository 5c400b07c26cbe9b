"""The demo company's insights show its one drill beside its real incidents."""

import pytest

from clearline import demo
from clearline.reviews.insights.selectors import insights


@pytest.mark.django_db
def test_the_demo_shows_a_drill_beside_the_real_incidents():
    demo.load()
    found = insights()
    drill, real = found.overall["drill"], found.overall["real"]
    assert drill.incidents == 1 and real.incidents >= 5
    # The drill's first update 6 minutes in, the next 19 minutes later, resolved 46 minutes in.
    assert (drill.first_update_seconds, drill.cadence_seconds) == (6 * 60, 20 * 60)
    assert (drill.resolve_seconds, drill.on_time_share) == (46 * 60, 1.0)
    assert real.first_update_seconds is not None and real.on_time_share is not None
