from django.urls import path

from . import views

app_name = "plaidoyer"

urlpatterns = [
    path("", views.index, name="index"),
]
