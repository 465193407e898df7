from django.urls import path

from .views import key_events, programme, queries, returns, sample

app_name = "audits"

# Audit programme, question bank, cases and the status flow.
programme_urls = [
    path("", programme.programme, name="programme"),
    path("calendar/", programme.programme_calendar, name="calendar"),
    path("calendar/feed/<str:token>.ics", programme.programme_ics, name="ics"),
    path("calendar/feed/renew/", programme.programme_ics_renew, name="ics-renew"),
    path("calendar/feed/revoke/", programme.programme_ics_revoke, name="ics-revoke"),
    path("new/", programme.audit_create, name="audit-create"),
    path("<int:pk>/", programme.audit_detail, name="audit-detail"),
    path("<int:pk>/edit/", programme.audit_edit, name="audit-edit"),
    path("<int:pk>/status/", programme.audit_transition, name="audit-transition"),
    path("<int:pk>/cases/", programme.case_add, name="case-add"),
    path("<int:audit_pk>/cases/<int:pk>/edit/", programme.case_edit, name="case-edit"),
    path("<int:audit_pk>/cases/<int:pk>/remove/", programme.case_delete, name="case-delete"),
    path("<int:pk>/sample/", sample.sample_builder, name="sample-builder"),
    path("<int:pk>/sample/upload/", sample.sample_upload, name="sample-upload"),
    path("<int:pk>/sample/propose/", sample.sample_propose, name="sample-propose"),
    path("<int:pk>/sample/swap/", sample.sample_swap, name="sample-swap"),
    path("<int:pk>/sample/add/", sample.sample_add, name="sample-add"),
    path("question-bank/", programme.question_bank, name="question-bank"),
    path("question-bank/questions/new/", programme.question_create, name="question-create"),
    path("question-bank/questions/<int:pk>/", programme.question_edit, name="question-edit"),
    path("question-bank/questions/<int:pk>/move/", programme.question_move, name="question-move"),
    path("question-bank/themes/new/", programme.theme_create, name="theme-create"),
    path("question-bank/themes/<int:pk>/", programme.theme_edit, name="theme-edit"),
    path("question-sets/", programme.questionset_list, name="questionset-list"),
    path("question-sets/new/", programme.questionset_create, name="questionset-create"),
    path("question-sets/<int:pk>/", programme.questionset_detail, name="questionset-detail"),
    path("question-sets/<int:pk>/edit/", programme.questionset_edit, name="questionset-edit"),
    path(
        "question-sets/<int:pk>/new-version/",
        programme.questionset_new_version,
        name="questionset-new-version",
    ),
]

# Returns: My returns, the return form, autosave, submission, concerns, progress matrix.
return_urls = [
    path("my-returns/", returns.my_returns_list, name="my-returns"),
    path("returns/<int:pk>/", returns.return_detail, name="return-detail"),
    path("returns/<int:pk>/autosave/", returns.return_autosave, name="return-autosave"),
    path("returns/<int:pk>/submit/", returns.return_submit_view, name="return-submit"),
    path("returns/<int:pk>/send-back/", returns.return_send_back_view, name="return-send-back"),
    path("returns/<int:pk>/reassign/", returns.return_reassign_view, name="return-reassign"),
    path("returns/<int:pk>/concern/", returns.concern_raise_view, name="concern-raise"),
    path("concerns/<int:pk>/", returns.concern_resolve_view, name="concern-resolve"),
    path("<int:pk>/progress/", returns.progress, name="progress"),
]

# Key events in a return (audits/views/key_events.py) and queries on one answer (queries.py).
event_urls = [
    path("returns/<int:pk>/events/", key_events.key_event_add, name="key-event-add"),
    path("events/<int:pk>/", key_events.key_event_update, name="key-event-update"),
    path("events/<int:pk>/remove/", key_events.key_event_delete_view, name="key-event-delete"),
    path("answers/<int:pk>/query/", queries.query_raise_view, name="answer-query"),
    path("queries/<int:pk>/", queries.query_detail, name="query-detail"),
    path("queries/<int:pk>/close/", queries.query_close_view, name="query-close"),
    path("queries/<int:pk>/reopen/", queries.query_reopen_view, name="query-reopen"),
]

urlpatterns = programme_urls + return_urls + event_urls
