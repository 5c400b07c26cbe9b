from django.urls import path

from clearline.brief import views

app_name = "brief"

urlpatterns = [
    path("incidents/<int:incident_id>/brief/", views.brief_page, name="brief"),
    path(
        "incidents/<int:incident_id>/brief/answers/<slug:topic>/",
        views.write_answer,
        name="write-answer",
    ),
    path("answers/<int:answer_id>/approve/", views.approve_answer, name="approve-answer"),
    path("incidents/<int:incident_id>/signal/", views.signal_page, name="signal"),
    path("incidents/<int:incident_id>/signal/log/", views.log_signal, name="log-signal"),
    path("question-groups/<int:group_id>/answer/", views.answer_group, name="answer-group"),
]
