from django.urls import path

from clearline.incidents.alerts.views import alertmanager_hook, pagerduty_hook

urlpatterns = [
    path("alertmanager/<str:source_id>/", alertmanager_hook, name="hook-alertmanager"),
    path("pagerduty/<str:source_id>/", pagerduty_hook, name="hook-pagerduty"),
    # Without the slash too: a redirect would turn a tool's POST into a lost delivery.
    path("alertmanager/<str:source_id>", alertmanager_hook),
    path("pagerduty/<str:source_id>", pagerduty_hook),
]
