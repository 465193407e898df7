"""The public survey pages, at the short address /s/: no sign-in."""

from django.urls import path

from .views import public

app_name = "survey_public"

urlpatterns = [
    path("", public.start, name="start"),
    path("answer/", public.answer, name="answer"),
    path("thanks/", public.thanks, name="thanks"),
    path("<str:code>/", public.with_code, name="code"),
]
