"""The audits app's models, one module per noun; `from audits.models import Return` works as
before. Each model's app label is "audits", as Django finds it from the module path."""

# In the order of their dependencies, which is the order Django registers them in.
# isort: off
from .common import SHORT_TEXT_LIMIT, TEXT_LIMIT, Grade, YesPartlyNo
from .questions import Question, QuestionSet, QuestionSetItem, Theme
from .audits import Audit, AuditTransition, CalendarFeed, PurgeRecord, SampleCase
from .returns import Answer, AnswerTick, Return
from .concerns import ConcernAlert, ImmediateConcern
from .notifications import NotificationSent

# The sample builder's, key events' and queries' models live beside this package.
from audits.event_models import EventKind, KeyEvent
from audits.query_models import AnswerQuery
from audits.sample_models import SampleCandidate, SampleProposal
# isort: on

__all__ = [
    "SHORT_TEXT_LIMIT",
    "TEXT_LIMIT",
    "Answer",
    "AnswerQuery",
    "AnswerTick",
    "Audit",
    "AuditTransition",
    "CalendarFeed",
    "ConcernAlert",
    "EventKind",
    "Grade",
    "ImmediateConcern",
    "KeyEvent",
    "NotificationSent",
    "PurgeRecord",
    "Question",
    "QuestionSet",
    "QuestionSetItem",
    "Return",
    "SampleCandidate",
    "SampleCase",
    "SampleProposal",
    "Theme",
    "YesPartlyNo",
]
