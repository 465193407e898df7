from django.urls import path

from . import views

app_name = "audits"

urlpatterns = [
    path("", views.programme, name="programme"),
    path("my-returns/", views.my_returns_list, name="my-returns"),
]
