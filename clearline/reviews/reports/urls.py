from django.urls import path, re_path

from clearline.reviews.reports import views

app_name = "reports"

urlpatterns = [
    path("desk/incidents/<int:incident_id>/reports/", views.reports_page, name="reports"),
    path("desk/incidents/<int:incident_id>/reports/draft/", views.draft, name="draft"),
    re_path(
        r"^desk/reports/(?P<report_id>[a-z0-9]{12})/export\.(?P<fmt>md|html|pdf)$",
        views.export,
        name="export",
    ),
    re_path(
        r"^incidents/(?P<public_id>[a-z0-9]{12})/report\.pdf$", views.public_pdf, name="public-pdf"
    ),
]
