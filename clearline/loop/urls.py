from django.urls import path

from clearline.loop import views

app_name = "loop"

urlpatterns = [
    path("accounts/", views.key_accounts, name="accounts"),
    path("accounts/export.csv", views.export_accounts, name="accounts-export"),
    path("follow-ups/", views.follow_ups, name="follow-ups"),
    path("follow-ups/<str:follow_up_id>/done/", views.complete_follow_up, name="follow-up-done"),
    path("follow-ups/<str:follow_up_id>/edit/", views.change_follow_up, name="follow-up-edit"),
    path("incidents/<int:incident_id>/key-accounts/", views.link_account, name="link"),
    path(
        "incidents/<int:incident_id>/key-accounts/<str:account_id>/unlink/",
        views.unlink_account,
        name="unlink",
    ),
    path("incidents/<int:incident_id>/late-questions/", views.log_question, name="log-question"),
    path("late-questions/<str:question_id>/answer/", views.draft_answer, name="answer"),
]
