from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and large-scale data: depends on every app, and no app imports it."""

    name = "demo"
