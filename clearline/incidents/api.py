"""Private API for incidents, components, the timeline and the facts ledger."""

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from clearline.accounts.api import requires
from clearline.accounts.selectors import active_user
from clearline.core import limits
from clearline.core.api import Pages, Timestamp, arguments, found, reads, writes
from clearline.core.errors import ClearlineError
from clearline.incidents import selectors, services
from clearline.incidents.models import (
    Component,
    ComponentStatus,
    FactKind,
    FactStatus,
    FactSubject,
    Impact,
    Incident,
    IncidentStatus,
    SegmentKind,
    TimelineKind,
    Visibility,
)

router = Router(tags=["incidents"])


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


class AffectedOut(Schema):
    id: str = Field(description="The component's id.")
    name: str
    status: ComponentStatus


class SegmentOut(Schema):
    kind: SegmentKind
    label: str


class IncidentOut(Schema):
    id: str
    title: str
    impact: Impact
    status: IncidentStatus
    visibility: Visibility
    is_drill: bool
    still_works: str
    commander: str | None = Field(description="Username of the incident commander.")
    comms_owner: str | None = Field(description="Username of whoever owns customer updates.")
    components: list[AffectedOut]
    segments: list[SegmentOut]
    started_at: Timestamp
    detected_at: Timestamp | None
    identified_at: Timestamp | None
    monitoring_at: Timestamp | None
    resolved_at: Timestamp | None
    created_at: Timestamp
    updated_at: Timestamp

    @staticmethod
    def resolve_id(incident: Incident) -> str:
        return incident.public_id

    @staticmethod
    def resolve_commander(incident: Incident) -> str | None:
        return _username(incident.commander)

    @staticmethod
    def resolve_comms_owner(incident: Incident) -> str | None:
        return _username(incident.comms_owner)

    @staticmethod
    def resolve_components(incident: Incident) -> list[dict]:
        return [
            {"id": row.component.public_id, "name": row.component.name, "status": row.status}
            for row in incident.affected.all()
        ]


class AffectedIn(Schema):
    component: str = Field(description="The component's id.")
    status: ComponentStatus = ComponentStatus.PARTIAL


class SegmentIn(Schema):
    kind: SegmentKind
    label: limits.text(limits.SEGMENT_LABEL) = Field(
        "", description="The region, plan, platform or feature; empty for everyone."
    )


Title = limits.text(limits.TITLE)
StillWorks = limits.text(limits.STILL_WORKS)


class IncidentIn(Schema):
    title: Title
    started_at: Timestamp = Field(description="When customers were first affected.")
    impact: Impact = Impact.MINOR
    visibility: Visibility = Visibility.PUBLIC
    is_drill: bool = False
    still_works: StillWorks = ""
    detected_at: Timestamp | None = None
    commander: str | None = Field(None, description="Username.")
    comms_owner: str | None = Field(None, description="Username.")
    components: list[AffectedIn] = []
    segments: list[SegmentIn] = []


class IncidentPatch(Schema):
    """Send only what changes; a field left out keeps its value."""

    title: Title = None
    started_at: Timestamp = None
    impact: Impact = None
    visibility: Visibility = None
    is_drill: bool = None
    still_works: StillWorks = None
    detected_at: Timestamp | None = None
    commander: str | None = Field(None, description="Username; null clears it.")
    comms_owner: str | None = Field(None, description="Username; null clears it.")
    components: list[AffectedIn] = Field(None, description="Replaces the affected components.")
    segments: list[SegmentIn] = Field(None, description="Replaces the segments.")


def incident_or_404(public_id: str) -> Incident:
    """The incident with this public id, or the API's 404 naming it (every router uses this)."""
    return found(selectors.incident(public_id), "incident", public_id)


def _person(username: str | None, field: str):
    if username is None:
        return None
    user = active_user(username)
    if user is None:
        raise ClearlineError(f"No active user is called {username!r}.", field=field)
    return user


def _components(rows: list[AffectedIn]) -> dict[Component, str]:
    known = selectors.components_by_public_id([row.component for row in rows])
    chosen = {}
    for index, row in enumerate(rows):
        if row.component not in known:
            raise ClearlineError(
                f"No component has the id {row.component!r}.",
                field=f"components.{index}.component",
            )
        chosen[known[row.component]] = row.status
    return chosen


def _incident_fields(payload: IncidentIn | IncidentPatch, names=None) -> dict:
    """Service arguments from an incident payload, with people and components looked up."""
    fields = arguments(payload, names)
    for name in ("commander", "comms_owner"):
        if name in fields:
            fields[name] = _person(fields[name], name)
    if fields.get("components") is not None:
        fields["components"] = _components(fields["components"])
    if fields.get("segments") is not None:
        fields["segments"] = [(row.kind, row.label) for row in fields["segments"]]
    return fields


@router.get(
    "/incidents", response=reads(list[IncidentOut]), auth=requires("incidents.view_incident")
)
@paginate(Pages)
def list_incidents(
    request,
    status: IncidentStatus | None = None,
    resolved: bool | None = None,
    visibility: Visibility | None = None,
):
    """Every incident, internal ones and drills included, newest first."""
    return selectors.incidents(status=status, resolved=resolved, visibility=visibility)


@router.post(
    "/incidents", response=writes(IncidentOut, 201), auth=requires("incidents.add_incident")
)
def open_incident(request, payload: IncidentIn):
    """Open an incident. Nothing reaches the public until an update is published."""
    incident = services.open_incident(by=request.auth, **_incident_fields(payload))
    return Status(201, selectors.incident(incident.public_id))


@router.get(
    "/incidents/{incident_id}",
    response=reads(IncidentOut),
    auth=requires("incidents.view_incident"),
)
def get_incident(request, incident_id: str):
    return incident_or_404(incident_id)


@router.patch(
    "/incidents/{incident_id}",
    response=writes(IncidentOut),
    auth=requires("incidents.change_incident"),
)
def edit_incident(request, incident_id: str, payload: IncidentPatch):
    """Change what the payload names; an empty payload changes, and records, nothing."""
    if not payload.model_fields_set:
        return incident_or_404(incident_id)
    services.edit_incident(
        incident=incident_or_404(incident_id),
        by=request.auth,
        **_incident_fields(payload, payload.model_fields_set),
    )
    return incident_or_404(incident_id)


class ComponentOut(Schema):
    id: str
    name: str
    description: str
    group: str | None = Field(description="The group's name.")
    status: ComponentStatus
    showcase: bool = Field(description="Shown on the public page.")
    updated_at: Timestamp

    @staticmethod
    def resolve_id(component: Component) -> str:
        return component.public_id

    @staticmethod
    def resolve_group(component: Component) -> str | None:
        return component.group.name if component.group_id else None


class ComponentStatusIn(Schema):
    status: ComponentStatus


@router.get(
    "/components", response=reads(list[ComponentOut]), auth=requires("incidents.view_component")
)
def list_components(request):
    return selectors.components()


@router.patch(
    "/components/{component_id}",
    response=writes(ComponentOut),
    auth=requires("incidents.change_component"),
)
def set_component_status(request, component_id: str, payload: ComponentStatusIn):
    """Set a component's status on the public page by hand."""
    component = found(selectors.component(component_id), "component", component_id)
    return services.set_component_status(component=component, by=request.auth, **arguments(payload))


class TimelineOut(Schema):
    id: int
    kind: TimelineKind
    text: str
    occurred_at: Timestamp
    author: str | None
    created_at: Timestamp

    @staticmethod
    def resolve_author(entry) -> str | None:
        return _username(entry.author)


class TimelineIn(Schema):
    text: limits.text(limits.TIMELINE_TEXT)
    kind: TimelineKind = TimelineKind.NOTE
    occurred_at: Timestamp | None = Field(None, description="Defaults to now.")


@router.get(
    "/incidents/{incident_id}/timeline",
    response=reads(list[TimelineOut]),
    auth=requires("incidents.view_timelineentry"),
)
def list_timeline(request, incident_id: str):
    return selectors.timeline(incident_or_404(incident_id))


@router.post(
    "/incidents/{incident_id}/timeline",
    response=writes(TimelineOut, 201),
    auth=requires("incidents.add_timelineentry"),
)
def add_timeline_entry(request, incident_id: str, payload: TimelineIn):
    incident = incident_or_404(incident_id)
    return Status(
        201, services.add_timeline_entry(incident=incident, by=request.auth, **arguments(payload))
    )


class FactOut(Schema):
    id: int
    kind: FactKind
    subject: FactSubject
    text: str
    status: FactStatus
    created_by: str | None
    confirmed_by: str | None
    confirmed_at: Timestamp | None
    created_at: Timestamp

    @staticmethod
    def resolve_created_by(fact) -> str | None:
        return _username(fact.created_by)

    @staticmethod
    def resolve_confirmed_by(fact) -> str | None:
        return _username(fact.confirmed_by)


FactText = limits.text(limits.FACT_TEXT)


class FactIn(Schema):
    text: FactText
    kind: FactKind = FactKind.QUESTION
    subject: FactSubject = FactSubject.OTHER


class SettleIn(Schema):
    status: FactStatus = Field(description="confirmed, answered or withdrawn.")
    text: FactText | None = Field(None, description="The answer or corrected wording, if any.")


@router.get(
    "/incidents/{incident_id}/facts",
    response=reads(list[FactOut]),
    auth=requires("incidents.view_fact"),
)
def list_facts(request, incident_id: str):
    """The facts ledger: confirmed facts and open questions."""
    return selectors.facts(incident_or_404(incident_id))


@router.post(
    "/incidents/{incident_id}/facts",
    response=writes(FactOut, 201),
    auth=requires("incidents.add_fact"),
)
def add_fact(request, incident_id: str, payload: FactIn):
    incident = incident_or_404(incident_id)
    return Status(201, services.add_fact(incident=incident, by=request.auth, **arguments(payload)))


@router.post(
    "/incidents/{incident_id}/facts/{fact_id}/settle",
    response=writes(FactOut),
    auth=requires("incidents.change_fact"),
)
def settle_fact(request, incident_id: str, fact_id: int, payload: SettleIn):
    """Confirm a fact, answer a question, or withdraw either."""
    fact = found(selectors.fact(incident_or_404(incident_id), fact_id), "fact", fact_id)
    return services.settle_fact(fact=fact, by=request.auth, **arguments(payload))
