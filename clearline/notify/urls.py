from django.urls import path

from clearline.notify import views

app_name = "notify"

urlpatterns = [
    path("subscribe", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>", views.confirm, name="confirm"),
    path("subscriptions/<str:token>/", views.manage, name="manage"),
    path("subscriptions/<str:token>/unsubscribe", views.unsubscribe, name="unsubscribe"),
]
