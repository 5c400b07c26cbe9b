from django.db.models import OuterRef, QuerySet

from clearline.incidents.models import Incident
from clearline.updates.models import Audience, Update, UpdateState


def public_updates(incident: Incident | OuterRef) -> QuerySet[Update]:
    """An incident's published public updates, newest first: the newest holds the promise in force.

    Takes an incident or an OuterRef, so list pages can read the latest one in a subquery.
    """
    return Update.objects.filter(
        incident=incident, state=UpdateState.PUBLISHED, audience=Audience.PUBLIC
    ).order_by("-published_at", "-id")
