from django.apps import AppConfig


def _sweep_stuck_renders() -> None:
    from .services import versions_sweep_stuck

    versions_sweep_stuck()


class BriefingsConfig(AppConfig):
    name = "briefings"

    def ready(self) -> None:
        from auditportal import outbox

        # The relay runs it every half minute: stuck renders do not wait for beat.
        outbox.register_sweep(_sweep_stuck_renders)
