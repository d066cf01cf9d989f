from django.urls import path

from .views import records

app_name = "temoignages"

urlpatterns = [
    # records (part A)
    path("", records.home, name="home"),
]
