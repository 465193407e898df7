from django.urls import path

from .branding_views import partnership_css

urlpatterns = [path("", partnership_css, name="partnership-css")]
