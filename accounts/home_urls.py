"""The site's front door ("home", outside the accounts namespace): each role's start page."""

from django.urls import path

from .views import home

urlpatterns = [path("", home, name="home")]
