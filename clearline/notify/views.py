"""The public subscription pages. No sign-in: the confirmation and manage links carry signed
tokens, and whoever holds a link may act on that one subscription."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from clearline.accounts.models import Organisation
from clearline.core.errors import ClearlineError
from clearline.notify import services, throttle
from clearline.notify.forms import ComponentsForm, SubscribeForm
from clearline.notify.links import manage_url, subscriber_from_confirm_token
from clearline.notify.models import Channel, Subscriber
from clearline.statuspage import selectors as public

ONE_CLICK = "One-Click"


def _page(request, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    org = Organisation.current()
    base = {
        "org": org,
        "zone": org.zone,
        "generated_at": timezone.now(),
        "status": {"description": f"subscribe to {org.name} status updates"},
    }
    response = render(request, template, {**base, **context}, status=status)
    # Manage links and secrets are in these pages: no shared cache keeps them, and no other
    # site learns the address from a Referer. ("no-referrer" would make Chromium send
    # `Origin: null` with the page's own forms, which the CSRF check refuses.)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def _submit(form, act):
    """Call the service once the form is valid; a refusal lands on the field it names."""
    if not form.is_valid():
        return None
    try:
        return act()
    except ClearlineError as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return None


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    components = list(public.public_components().order_by("group__position", "position", "id"))
    incident_id = request.POST.get("incident") if request.method == "POST" else None
    incident_id = incident_id or request.GET.get("incident") or ""
    incident = public.incident_by_public_id(incident_id) if incident_id else None
    if incident_id and incident is None:
        raise Http404("No incident on the status page has this id.")
    context = {"incident": incident}
    if request.method == "POST" and throttle.too_many(request, "subscribe"):
        response = _page(
            request, "notify/limited.html", {"minutes": throttle.minutes()}, status=429
        )
        response["Retry-After"] = str(throttle.minutes() * 60)
        return response
    if request.method != "POST":
        form = SubscribeForm(components=components, initial={"incident": incident_id})
        return _page(request, "notify/subscribe.html", {**context, "form": form})
    form = SubscribeForm(request.POST, components=components)
    data = form.data
    chosen = data.getlist("components") if not incident else []

    def act():
        if form.cleaned_data["channel"] == Channel.EMAIL:
            return services.subscribe_email(
                email=form.cleaned_data["email"], components=chosen, incident=incident_id or None
            )
        return services.subscribe_webhook(
            url=form.cleaned_data["url"],
            components=chosen,
            incident=incident_id or None,
            channel=form.cleaned_data["channel"],
        )

    done = _submit(form, act)
    if done is None:
        return _page(request, "notify/subscribe.html", {**context, "form": form}, status=400)
    if isinstance(done, Subscriber):
        return _page(request, "notify/check_inbox.html", {**context, "email": done.email})
    return _page(
        request,
        "notify/endpoint_added.html",
        {
            **context,
            "subscriber": done.subscriber,
            "secret": done.secret,
            "manage_url": manage_url(done.subscriber),
        },
        status=201,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks, POST confirms: mail scanners open links, and must not confirm by doing so."""
    if request.method != "POST":
        subscriber = subscriber_from_confirm_token(token)
        if subscriber is None or subscriber.unsubscribed_at:
            message = services.CANCELLED if subscriber else services.LINK_REFUSED
            return _page(request, "notify/link_refused.html", {"message": message}, status=410)
        return _page(request, "notify/confirm.html", {"subscriber": subscriber})
    try:
        subscriber = services.confirm(token=token)
    except ClearlineError as refusal:
        return _page(request, "notify/link_refused.html", {"message": refusal.message}, status=410)
    return _page(
        request,
        "notify/confirmed.html",
        {"subscriber": subscriber, "manage_url": manage_url(subscriber)},
    )


def _subscriber(token: str) -> Subscriber:
    subscriber = Subscriber.from_manage_token(token)
    if subscriber is None:
        raise Http404("This link does not name a subscription.")
    return subscriber


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = _subscriber(token)
    components = list(public.public_components().order_by("group__position", "position", "id"))
    saved = False
    if request.method == "POST" and request.POST.get("action") == "unsubscribe":
        services.unsubscribe(subscriber=subscriber)
        return _page(request, "notify/unsubscribed.html", {"subscriber": subscriber})
    if request.method == "POST" and not subscriber.unsubscribed_at:
        form = ComponentsForm(request.POST, components=components)
        chosen = form.data.getlist("components")
        saved = _submit(
            form, lambda: services.update_components(subscriber=subscriber, components=chosen)
        )
        if not saved:
            return _page(
                request,
                "notify/manage.html",
                {"subscriber": subscriber, "form": form, "token": token},
                status=400,
            )
    initial = {"components": [c.public_id for c in subscriber.components.all()]}
    form = ComponentsForm(initial=initial, components=components)
    return _page(
        request,
        "notify/manage.html",
        {"subscriber": subscriber, "form": form, "token": token, "saved": bool(saved)},
    )


# RFC 8058 one-click: the mail client (often its provider's server) POSTs
# `List-Unsubscribe=One-Click` with no cookie, session or CSRF token, so the CSRF check would
# refuse every real one-click. The signed token in the address is the proof instead: only the
# message's recipient has it, and all a forged POST could do is unsubscribe that one recipient.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = _subscriber(token)
    if request.method != "POST":
        return _page(request, "notify/unsubscribe.html", {"subscriber": subscriber})
    if request.POST.get("List-Unsubscribe") != ONE_CLICK:
        return _page(
            request,
            "notify/unsubscribe.html",
            {"subscriber": subscriber, "refused": True},
            status=400,
        )
    services.unsubscribe(subscriber=subscriber)
    return _page(request, "notify/unsubscribed.html", {"subscriber": subscriber})
