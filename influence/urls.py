from django.urls import path

from . import views

app_name = "influence"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("strategies/", views.strategies, name="strategies"),
]
