"""One client cannot send the subscribe form without end."""


def test_too_many_requests_from_one_address_get_429_with_a_clear_page(db, settings, client):
    settings.CLEARLINE_SUBSCRIBE_LIMIT = 3
    settings.CLEARLINE_SUBSCRIBE_WINDOW_SECONDS = 600
    for n in range(3):
        page = client.post("/subscribe", {"channel": "email", "email": f"p{n}@example.com"})
        assert page.status_code == 200
    refused = client.post("/subscribe", {"channel": "email", "email": "p4@example.com"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    assert "Please try again in 10 minutes" in refused.text
    # Reading the form is not counted, and another address is not held back.
    assert client.get("/subscribe").status_code == 200
    other = client.post(
        "/subscribe", {"channel": "email", "email": "p5@example.com"}, REMOTE_ADDR="192.0.2.9"
    )
    assert other.status_code == 200
