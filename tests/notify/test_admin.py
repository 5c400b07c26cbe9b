"""An admin finds subscribers in the admin and unsubscribes them; secrets never show."""

from django.utils import timezone

from clearline.core.models import AuditEntry
from clearline.notify.models import Subscriber


def test_an_admin_searches_and_filters_subscribers_and_never_sees_a_secret(people, client):
    hook = Subscriber.objects.create(
        channel="webhook",
        url="https://hooks.example.com/status",
        secret="whsec_c2VjcmV0LXZhbHVlLWZvci10ZXN0cw==",
        confirmed_at=timezone.now(),
    )
    Subscriber.objects.create(email="ana@example.com")
    client.force_login(people["admin"])
    found = client.get("/admin/notify/subscriber/?q=hooks.example")
    assert found.status_code == 200
    assert "https://hooks.example.com/status" in found.text and "ana@example.com" not in found.text
    unconfirmed = client.get("/admin/notify/subscriber/?state=unconfirmed")
    assert "ana@example.com" in unconfirmed.text and "hooks.example.com" not in unconfirmed.text
    detail = client.get(f"/admin/notify/subscriber/{hook.pk}/change/")
    assert detail.status_code == 200 and hook.secret not in detail.text


def test_the_unsubscribe_action_unsubscribes_and_is_audited(people, client):
    ana = Subscriber.objects.create(email="ana@example.com", confirmed_at=timezone.now())
    client.force_login(people["admin"])
    response = client.post(
        "/admin/notify/subscriber/",
        {"action": "unsubscribe_selected", "_selected_action": [ana.pk]},
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.unsubscribed_at is not None
    entry = AuditEntry.objects.get(action="subscriber.removed")
    assert (entry.actor, entry.object_id) == (people["admin"], str(ana.pk))


def test_a_viewer_cannot_open_the_list(people, client):
    client.force_login(people["support"])
    assert client.get("/admin/notify/subscriber/").status_code in (302, 403)
