"""`clearline review INCIDENT_ID [--format text|json]`: an incident's review, as the desk and the
API show it (the JSON is the API's shape)."""

import argparse
import json
import sys

EXIT_NOT_FOUND = 2


def _incident(incident_id: str):
    from django.db.models import Q

    from clearline.incidents.models import Incident

    key = Q(pk=int(incident_id)) if incident_id.isdigit() else Q(public_id=incident_id)
    return Incident.objects.filter(key).first()


def as_text(data: dict) -> str:
    plan = data["schedule"]
    window = plan["window"]
    lines = [
        f"Review of incident {data['incident']}: {data['state']}",
        f"Meets: {plan['label']}, for {plan['minutes']} minutes ({plan['time_zone']})",
        f"Window: business days 3-5 after the resolution, {window['first_day']} to "
        f"{window['last_day']}",
    ]
    if data["held_at"]:
        lines.append(f"Held: {data['held_at']}")
    lines += [f"! {warning}" for warning in data["warnings"]]
    lines.append("")
    lines.append("In the room:")
    for person in data["attendees"]:
        address = f" <{person['email']}>" if person["email"] else " (no email)"
        lines.append(f"- {person['role_label']}: {person['name']}{address}")
    if not data["attendees"]:
        lines.append("- nobody yet")
    lines.append("")
    lines.append(data["writeup"]["text"] or "(No write-up yet.)")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from clearline.reviews import review_selectors
    from clearline.reviews.review_api import ReviewOut, review_out

    incident = _incident(args.incident_id)
    review = review_selectors.review_of(incident) if incident else None
    if review is None:
        what = "No incident" if incident is None else "No review yet for incident"
        print(f"clearline review: {what} {args.incident_id}.", file=sys.stderr)
        return EXIT_NOT_FOUND
    data = ReviewOut.model_validate(review_out(review)).model_dump(mode="json")
    if args.format == "json":
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(as_text(data))
    return 0


def add_parser(sub, setup) -> None:
    """`setup` is clearline.cli's Django setup, run before the command."""
    parser = sub.add_parser(
        "review",
        help="print an incident's blameless review: schedule, attendees, write-up",
        description="Print the review of an incident (its number as in desk addresses, or its "
        "id as in the API). Exit 2 when there is no such incident or it has no review yet.",
    )
    parser.add_argument("incident_id", metavar="INCIDENT_ID")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=lambda args: (setup(), run(args))[1])
