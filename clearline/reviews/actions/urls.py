from django.urls import path

from clearline.reviews.actions import views

app_name = "actions"

urlpatterns = [
    path("incidents/<int:incident_id>/actions/", views.add_action_item, name="add"),
    path("actions/<int:action_id>/edit/", views.edit_action_item, name="edit"),
    path("actions/<int:action_id>/close/", views.close_action_item, name="close"),
    path("actions/<int:action_id>/status/", views.set_action_status, name="status"),
]
