from django.urls import path

from clearline.reviews import views

app_name = "reviews"

urlpatterns = [
    path(
        "incidents/<int:incident_id>/preliminary-report/",
        views.draft_preliminary,
        name="draft-preliminary",
    ),
    path("plan-items/<slug:item_id>/not-needed/", views.mark_not_needed, name="not-needed"),
]
