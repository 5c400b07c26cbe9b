from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from clearline import api
from clearline.notify import urls as notify_urls

admin.site.site_header = "clearline administration"
admin.site.site_title = "clearline"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("desk/", include("clearline.desk.urls")),
    path("desk/", include("clearline.brief.urls")),
    path("desk/", include("clearline.reviews.review_urls")),
    path("desk/", include("clearline.reviews.actions.urls")),
    path("desk/", include("clearline.reviews.urls")),
    path("desk/", include("clearline.reviews.insights.urls")),
    path("desk/", include("clearline.loop.urls")),
    path("hooks/", include("clearline.incidents.alerts.urls")),
    path("", include("clearline.notify.urls")),
    # Bounce and complaint webhooks of the mail provider that the ANYMAIL settings name.
    path("anymail/", include(notify_urls.tracking_patterns)),
    path("", include("clearline.reviews.reports.urls")),
    # First: /api/v2/*.json are the public Statuspage documents, never the private API.
    path("", include("clearline.statuspage.urls")),
    path("api/", api.urls()),
    re_path(r"^api/(?P<rest>.*)$", api.unknown_address),
]
