"""Change history (django-simple-history) for the models the audit trail must cover.

Registered from AuditPortalConfig.ready(): the other apps' models are not edited. Each
model gets a Historical<Model> table in its own app; HistoryRequestMiddleware records who.
Record references keep no plaintext in history: the `reference` field is excluded, so a
change shows only that the record (updated_at) changed.
"""

import simple_history
from django.apps import apps

# (app label, model name, fields left out of history)
TRACKED = [
    ("audits", "Audit", []),
    ("cases", "Case", []),
    ("cases", "CaseAgency", []),
    ("cases", "RecordReference", ["reference"]),
    ("audits", "SampleCase", []),
    ("audits", "Return", []),
    ("audits", "Answer", []),
    ("audits", "KeyEvent", []),
    ("audits", "AnswerQuery", []),
    ("findings", "Finding", []),
    ("findings", "Action", []),
    ("findings", "CaseJudgement", []),
    ("findings", "AgreedGrade", []),
    ("briefings", "Briefing", []),
    ("briefings", "BriefingVersion", ["content"]),
]


def register_history() -> None:
    for app_label, model_name, excluded in TRACKED:
        model = apps.get_model(app_label, model_name)
        if hasattr(model, "history"):
            continue
        simple_history.register(model, excluded_fields=excluded)


def history_models() -> list:
    """(label, model class, historical model class) of every tracked model."""
    result = []
    for app_label, model_name, _excluded in TRACKED:
        model = apps.get_model(app_label, model_name)
        result.append((model._meta.label_lower, model, model.history.model))
    return result
