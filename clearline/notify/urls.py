from functools import wraps

from anymail import urls as anymail_urls
from django.conf import settings
from django.http import HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.csrf import csrf_exempt

from clearline.notify import views

app_name = "notify"

urlpatterns = [
    path("subscribe", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>", views.confirm, name="confirm"),
    path("subscriptions/<str:token>/", views.manage, name="manage"),
    path("subscriptions/<str:token>/unsubscribe", views.unsubscribe, name="unsubscribe"),
]


def _needs_secret(view):
    """A tracking webhook answers only once ANYMAIL_WEBHOOK_SECRET is set. Without it anymail
    would take any POST for a provider that signs nothing, and anyone could stop mail to any
    address by reporting a made-up bounce."""

    @csrf_exempt
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
            return HttpResponse("Set ANYMAIL_WEBHOOK_SECRET to receive bounces.", status=404)
        return view(request, *args, **kwargs)

    return guarded


def _tracking(pattern: URLPattern) -> URLPattern:
    return URLPattern(pattern.pattern, _needs_secret(pattern.callback), name=pattern.name)


# Only the providers' tracking webhooks (bounces, complaints): clearline receives no mail.
tracking_patterns = (
    [_tracking(p) for p in anymail_urls.urlpatterns if "tracking" in (p.name or "")],
    "anymail",
)
