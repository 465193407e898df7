from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"

    def ready(self) -> None:
        from cases.onboarding import register_partnership_setup

        from .bank import load_bank
        from .event_bank import load_event_kinds

        def setup(partnership: object) -> None:
            load_bank()
            load_event_kinds()

        # A new partnership's question bank (and its kinds of key event) starts as the
        # default bank, then is its own.
        register_partnership_setup(setup)
