import pytest

from tests.factories import make_component


@pytest.fixture
def loopback(settings):
    """Webhook receivers in tests listen on 127.0.0.1: allow it, as an operator would."""
    settings.CLEARLINE_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]


@pytest.fixture
def parts(db):
    """Two public components and one the status page hides."""
    return {
        "api": make_component("API", group="Platform", showcase=True),
        "web": make_component("Web app", group="Platform", showcase=True),
        "billing": make_component("Billing jobs", showcase=False),
    }
