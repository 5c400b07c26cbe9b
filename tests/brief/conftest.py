import pytest

from clearline.brief import services
from tests.factories import make_incident


@pytest.fixture
def incident(people):
    """A public incident the commander (dana) leads, with one update customers have read."""
    return make_incident(
        title="Card payments are declined",
        body="Card payments fail for some customers. Next update in 30 minutes.",
        by=people["comms"],
        commander=people["commander"],
    )


def ask(incident, by, text, account=""):
    """Support logs a customer's question."""
    return services.log_signal(
        incident=incident, by=by, kind="question", text=text, account=account
    )


def drafted(incident, by, text="We are checking.", topic="data_safe"):
    return services.write_answer(incident=incident, topic=topic, by=by, version=0, text=text)


def approved(answer, by, *, show=False):
    return services.approve_answer(
        answer=answer, by=by, content_hash=answer.content_hash, show_on_status_page=show
    )
