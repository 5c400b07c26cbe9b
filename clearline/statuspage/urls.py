from django.urls import path, re_path

from clearline.statuspage.openapi import openapi
from clearline.statuspage.views import public_page

urlpatterns = [
    path("", public_page, name="status-home"),
    path("history/", public_page, name="status-history"),
    re_path(r"^history/(?P<month>\d{4}-\d{2})/?$", public_page, name="status-month"),
    re_path(r"^incidents/(?P<public_id>[a-z0-9]{12})/?$", public_page, name="status-incident"),
    re_path(r"^history\.(?P<kind>atom|rss)$", public_page, name="status-feed"),
    path("api/v2/openapi.json", openapi, name="status-v2-openapi"),
    re_path(r"^api/v2/(?P<doc>[a-z/-]+\.json)$", public_page, name="status-v2"),
]
