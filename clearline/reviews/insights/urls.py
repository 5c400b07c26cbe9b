from django.urls import path

from clearline.reviews.insights import views

app_name = "insights"

urlpatterns = [path("insights/", views.insights_page, name="page")]
