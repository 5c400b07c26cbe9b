"""The delivery record in the admin: read only, and dead letters sent again by an action."""

import pytest
from django.test import Client

from clearline import worker
from clearline.notify.models import Delivery
from tests.factories import PASSWORD, make_incident
from tests.notify.conftest import subscribe

pytestmark = pytest.mark.usefixtures("delivery_settings")


def test_an_admin_sends_the_selected_dead_letters_again(transactional_db, smtp, people):
    subscribe("kim@example.com")
    subscribe("")  # an email subscription without an address: failed, never "delivered"
    smtp.refuse("RCPT", "550 5.1.1 No such user")
    make_incident(title="Exports fail")
    worker.run(batch=True, periodic=False)
    assert set(Delivery.objects.values_list("state", flat=True)) == {"failed"}
    smtp.accept()

    admin = Client()
    assert admin.login(username=people["admin"].username, password=PASSWORD)
    listing = admin.get("/admin/notify/delivery/")
    assert listing.status_code == 200 and "kim@example.com" in listing.content.decode()
    answer = admin.post(
        "/admin/notify/delivery/",
        {
            "action": "retry_failed",
            "_selected_action": list(Delivery.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    assert "2 deliveries queued again." in answer.content.decode()
    worker.run(batch=True, periodic=False)

    assert [m["To"] for m in smtp.messages] == ["kim@example.com"]
    states = dict(Delivery.objects.values_list("subscriber__email", "state"))
    assert states == {"kim@example.com": "delivered", "": "failed"}
    assert admin.get("/admin/notify/delivery/add/").status_code == 403
