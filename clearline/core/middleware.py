"""Refusals made before any view runs, so a huge or malformed request costs next to nothing."""

from django.http import HttpRequest, HttpResponse, JsonResponse

from clearline.core import limits
from clearline.core.api import error_body

# Machines read these addresses: they get the API's error shape.
JSON_PREFIXES = ("/api/", "/hooks/")


class RequestLimits:
    """A body declared larger than its address takes (docs/limits.md) is refused from its
    Content-Length, unread; an address or query holding a NUL (which no database stores) too."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        most = limits.request_bytes(request.path_info)
        if declared.isdigit() and int(declared) > most:
            return self._refuse(request, 413, limits.too_big(most))
        if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
            return self._refuse(request, 400, "The address holds a NUL character; remove it.")
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, status: int, detail: str) -> HttpResponse:
        if request.path_info.startswith(JSON_PREFIXES):
            return JsonResponse(error_body(detail), status=status)
        return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")
