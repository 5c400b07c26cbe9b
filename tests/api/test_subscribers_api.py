"""An integration manages subscribers through the API, in Statuspage's shape."""

from django.utils import timezone

from clearline import worker
from clearline.notify.models import Subscriber
from tests.factories import make_component
from tests.unchanged import nothing_changes

FIELDS = {
    "id",
    "mode",
    "email",
    "endpoint",
    "components",
    "incident",
    "created_at",
    "confirmed_at",
    "quarantined_at",
    "quarantine_reason",
    "unsubscribed_at",
}


def test_an_admin_subscribes_an_email_with_components(api_as, people):
    api = make_component("API")
    response = api_as("admin").post(
        "/api/subscribers",
        {"email": "ana@example.com", "components": [api.public_id]},
    )
    assert response.status_code == 201
    assert set(response.data) == FIELDS | {"secret"}
    assert response.data["mode"] == "email" and response.data["endpoint"] is None
    assert response.data["components"] == [api.public_id]
    assert response.data["confirmed_at"] is None and response.data["secret"] is None


def test_skip_confirmation_subscribes_at_once(api_as, people):
    response = api_as("admin").post(
        "/api/subscribers",
        {"email": "ana@example.com", "skip_confirmation_notification": True},
    )
    assert response.data["confirmed_at"] is not None
    assert Subscriber.objects.active().get().email == "ana@example.com"


def test_without_it_the_address_gets_the_confirmation_mail(transactional_db, api_as, people, smtp):
    api_as("admin").post("/api/subscribers", {"email": "ana@example.com"})
    worker.run(batch=True, periodic=False)
    assert [m["To"] for m in smtp.messages] == ["ana@example.com"]


def test_a_webhook_s_secret_is_in_the_creation_response_only(api_as, people, loopback):
    admin = api_as("admin")
    made = admin.post("/api/subscribers", {"endpoint": "http://127.0.0.1:9000/hook"})
    assert made.status_code == 201
    assert made.data["mode"] == "webhook" and made.data["secret"].startswith("whsec_")
    read = admin.get(f"/api/subscribers/{made.data['id']}")
    assert "secret" not in read.data and made.data["secret"] not in read.content.decode()
    listed = admin.get("/api/subscribers")
    assert made.data["secret"] not in listed.content.decode()


def test_a_private_endpoint_is_refused_naming_the_field(api_as, people):
    admin = api_as("admin")
    with nothing_changes():
        response = admin.post("/api/subscribers", {"endpoint": "http://10.0.0.5/hook"})
    assert response.status_code == 400
    assert response.data["errors"][0]["field"] == "endpoint"
    assert "private, loopback or link-local" in response.data["detail"]


def test_an_unknown_component_is_refused(api_as, people):
    admin = api_as("admin")
    with nothing_changes():
        response = admin.post(
            "/api/subscribers", {"email": "ana@example.com", "components": ["nosuchpart12"]}
        )
    assert response.status_code == 400
    assert response.data["errors"] == [
        {
            "field": "components",
            "message": "No component on the status page has the id 'nosuchpart12'.",
        }
    ]


def test_a_viewer_pages_through_subscribers(api_as, people):
    for n in range(3):
        Subscriber.objects.create(email=f"p{n}@example.com")
    page = api_as("support").get("/api/subscribers?limit=2")
    assert page.status_code == 200 and page.data["count"] == 3
    assert [item["email"] for item in page.data["items"]] == ["p0@example.com", "p1@example.com"]


def test_delete_unsubscribes_and_a_second_delete_changes_nothing(api_as, people):
    subscriber = Subscriber.objects.create(email="bo@example.com", confirmed_at=timezone.now())
    admin = api_as("admin")
    first = admin.call("DELETE", f"/api/subscribers/{subscriber.public_id}")
    assert first.status_code == 200 and first.data["unsubscribed_at"]
    with nothing_changes():
        again = admin.call("DELETE", f"/api/subscribers/{subscriber.public_id}")
    assert (
        again.status_code == 200 and again.data["unsubscribed_at"] == first.data["unsubscribed_at"]
    )


def test_a_bounced_address_shows_as_quarantined(api_as, people):
    subscriber = Subscriber.objects.create(
        email="bo@example.com",
        confirmed_at=timezone.now(),
        suppressed_at=timezone.now(),
        suppressed_reason="postmark: bounced",
    )
    read = api_as("support").get(f"/api/subscribers/{subscriber.public_id}")
    assert read.data["quarantined_at"] and read.data["quarantine_reason"] == "postmark: bounced"


def test_an_unknown_id_is_a_404_in_the_error_shape(api_as, people):
    response = api_as("support").get("/api/subscribers/nosuchsub123")
    assert response.status_code == 404
    assert response.data == {"detail": "No subscriber has the id 'nosuchsub123'.", "errors": []}
