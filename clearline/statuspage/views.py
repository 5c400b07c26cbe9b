from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from clearline.statuspage import serving, snapshot


def respond(request: HttpRequest, item: serving.SnapshotFile) -> HttpResponse:
    if item.not_modified(request.headers.get("If-None-Match")):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(item.body if request.method == "GET" else b"")
    for name, value in item.headers():
        if name == "Content-Length" and request.method == "HEAD":
            continue
        response[name] = value
    return response


@require_safe
def public_page(request: HttpRequest, **_) -> HttpResponse:
    """Every public address: served from the snapshot, rendered into it when missing or stale."""
    try:
        item = serving.current_file(request.path)
    except snapshot.NotPublic:
        raise Http404("No such public page") from None
    if item is None:
        body = render_to_string("statuspage/unavailable.html")
        return HttpResponse(body, status=503, headers={"Retry-After": "30"})
    return respond(request, item)
