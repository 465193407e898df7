from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"

    def ready(self) -> None:
        from cases.onboarding import register_partnership_setup

        from .bank import load_bank

        # A new partnership's question bank starts as the default bank, then is its own.
        register_partnership_setup(lambda partnership: load_bank())
