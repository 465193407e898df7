from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "findings"

    def ready(self) -> None:
        # The audit's retention purge asks the findings layer to purge its own rows.
        from audits.retention import audit_purging

        from .retention import findings_purge

        audit_purging.connect(findings_purge, dispatch_uid="findings.retention")

        # The benchmarking shares follow the audits' statuses and the opt-in.
        from .benchmark_receivers import connect

        connect()
