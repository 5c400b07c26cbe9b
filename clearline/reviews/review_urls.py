from django.urls import path

from clearline.reviews import review_views as views

app_name = "review"

urlpatterns = [
    path("incidents/<int:incident_id>/review/", views.review_page, name="review"),
    path("incidents/<int:incident_id>/review/propose/", views.propose, name="propose"),
    path("incidents/<int:incident_id>/review/writeup/", views.save_writeup, name="writeup"),
    path("incidents/<int:incident_id>/review/checks/", views.check_writeup, name="check"),
    path("incidents/<int:incident_id>/review/schedule/", views.schedule_review, name="schedule"),
    path("incidents/<int:incident_id>/review/attendees/", views.add_attendee, name="add-attendee"),
    path(
        "review-attendees/<int:attendee_id>/remove/",
        views.remove_attendee,
        name="remove-attendee",
    ),
    path("incidents/<int:incident_id>/review/held/", views.mark_held, name="held"),
    path("incidents/<int:incident_id>/review/invitation.ics", views.download_ics, name="ics"),
]
