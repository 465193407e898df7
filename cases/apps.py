from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self) -> None:
        from accounts.mfa import set_board_mfa_rule

        from . import hosts  # noqa: F401  (forgets the host map when a partnership changes)
        from .models import Partnership

        set_board_mfa_rule(lambda: Partnership.load().board_mfa_required)
