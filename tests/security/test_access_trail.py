"""Every view of case-level data writes one access row to the audit trail: walks every URL
pattern, like the permission walk, so a new page must be classified here.

Case-level: a page that shows a child's pseudonym, a record reference, case details, answers
or evidence, or a briefing's text. Each role that may see the page (200 in the permission
table) gets exactly one access row naming them and the code below; a refused role gets none.
"""

from django.urls import reverse

from auditportal.models import AuditEvent

from .test_url_permissions import EXPECTED, clients, world  # noqa: F401  (fixtures)
from .world import ROLES, all_routes, url_kwargs

# URL name -> the code of the access row its GET writes.
CASE_LEVEL = {
    "audits:audit-detail": "audit.sample_viewed",
    "audits:case-add": "audit.sample_viewed",
    "audits:case-edit": "case.viewed",
    "audits:case-delete": "case.viewed",
    "audits:sample-builder": "audit.candidates_viewed",
    "audits:my-returns": "return.listed",
    "audits:return-detail": "return.viewed",
    "audits:return-send-back": "return.viewed",
    "audits:return-reassign": "return.viewed",
    "audits:concern-raise": "return.viewed",
    "audits:concern-resolve": "concern.viewed",
    "audits:progress": "audit.progress_viewed",
    "findings:results-evidence": "audit.evidence_viewed",
    "findings:answers-export": "audit.answers_exported",
    "findings:moderate": "answer.viewed",
    "findings:finding-list": "audit.findings_viewed",  # source returns, for tracing
    "findings:finding-create": "audit.findings_viewed",  # the audit's returns to choose from
    "findings:finding-update": "finding.viewed",
    "briefings:composer": "briefing.viewed",
    "briefings:preview": "briefing.previewed",
    "briefings:version-download": "briefing.downloaded",
    "briefings:version-read": "briefing.read",
    "briefings:version-word": "briefing.downloaded_word",
    # Around the child: key events, queries on answers, the child's page and summary.
    "audits:key-event-update": "key_event.viewed",
    "audits:answer-query": "query.answer_viewed",
    "audits:query-detail": "query.viewed",
    "findings:child-page": "case.child_page_viewed",
    "findings:child-summary": "case.summary_downloaded",
}

# Everything else, and why it is not case-level.
NOT_CASE_LEVEL = {
    # Sign-in, account and session pages.
    "home",
    "accounts:login",
    "accounts:logout",
    "accounts:password-change",
    "accounts:password-reset",
    "accounts:password-reset-sent",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "accounts:profile",
    "accounts:mfa-enrol",
    "accounts:mfa-verify",
    "accounts:mfa-recovery-codes",
    "accounts:keep-alive",
    # The programme and the question bank: titles, dates and questions, no child.
    "audits:programme",
    "audits:calendar",
    "audits:ics",
    "audits:ics-renew",
    "audits:ics-revoke",
    "audits:audit-create",
    "audits:audit-edit",
    "audits:audit-transition",
    "audits:question-bank",
    "audits:question-create",
    "audits:question-edit",
    "audits:question-move",
    "audits:theme-create",
    "audits:theme-edit",
    "audits:questionset-list",
    "audits:questionset-create",
    "audits:questionset-detail",
    "audits:questionset-edit",
    "audits:questionset-new-version",
    # POST-only endpoints: a GET shows nothing.
    "audits:return-autosave",
    "audits:return-submit",
    "audits:sample-upload",
    "audits:sample-propose",
    "audits:sample-swap",
    "audits:sample-add",
    "findings:findings-agree",
    "audits:key-event-add",
    "audits:key-event-delete",
    "audits:query-close",
    "audits:query-reopen",
    "findings:child-summary-request",
    "findings:finding-move",
    "findings:finding-promote",
    "findings:subgroup-retire",
    "findings:quote-move",
    "findings:resource-retire",
    "briefings:refill",
    "briefings:render",
    "briefings:version-rerun",
    "briefings:version-approve",
    "briefings:version-publish",
    "briefings:version-public-link",
    "briefings:preview-live",
    "briefings:autosave",
    "briefings:public-link-withdraw",
    "trail:legal-hold",
    # Aggregate figures only (the export is logged anyway).
    "findings:results",
    "findings:results-theme-agencies",
    "findings:results-export",
    "findings:trend",
    "findings:dashboard",
    "findings:trend-index",
    "findings:question-trend",
    "findings:completion-trend",
    "findings:reaudit-results",
    # The data feed: aggregate figures (each read is logged anyway, as "feed.read"); its
    # tokens page names tokens, no child.
    "findings:feed-data",
    "findings:feed-tokens",
    "findings:feed-token-revoke",
    # Scheduling a re-audit: titles, themes and actions, no child.
    "findings:action-reaudit",
    "findings:finding-reaudit",
    # A finding's text and theme, actions, sub-groups, engagement counts, anonymised quotes,
    # resources: no child.
    "findings:finding-delete",
    "findings:action-create",
    "findings:action-tracker",
    "findings:action-detail",
    "findings:action-update",
    "findings:action-delete",
    "findings:subgroup-list",
    "findings:subgroup-create",
    "findings:subgroup-update",
    "findings:engagement",
    "findings:quote-create",
    "findings:quote-update",
    "findings:quote-delete",
    "findings:resource-list",
    "findings:resource-create",
    "findings:resource-update",
    # Published briefings' titles, take-up counts, version statuses (polled every few seconds).
    "briefings:published",
    "briefings:take-up",
    "briefings:reach",
    "briefings:use-record",
    "briefings:versions",
    # The public version: what the partnership put on its website, read by anyone; there is
    # nobody to name in a row (its link's making and withdrawing are in the trail).
    "briefings:public",
    # Surveys: anonymous answers, no child; questions, codes' labels, counts. Reading a
    # survey's results and a consented answer's original words is logged all the same.
    "surveys:survey-list",
    "surveys:survey-create",
    "surveys:survey-detail",
    "surveys:survey-status",
    "surveys:survey-question-create",
    "surveys:survey-plain-language",
    "surveys:survey-batch-create",
    "surveys:survey-results",
    "surveys:question-edit",
    "surveys:question-delete",
    "surveys:question-move",
    "findings:survey-quotes",
    "findings:survey-quote-review",
    "briefings:pulse-send",
    # The public survey pages: nobody to name (respondents are anonymous).
    "survey_public:start",
    "survey_public:answer",
    "survey_public:thanks",
    "survey_public:code",
    # The trail itself (its export is logged).
    "trail:events",
    "trail:export",
    "trail:retention",
    # The hosting administration: partnerships only, never a partnership's data.
    "hosting:partnerships",
    "hosting:partnership-create",
    "hosting:partnership",
    "hosting:partnership-rename",
    "hosting:partnership-host-add",
    "hosting:partnership-host-remove",
    "hosting:partnership-deactivate",
    "hosting:partnership-reactivate",
    "partnership-css",
}


def test_every_url_is_classified():
    names = {route.name for route in all_routes()}

    assert names - CASE_LEVEL.keys() - NOT_CASE_LEVEL == set()
    assert (CASE_LEVEL.keys() | NOT_CASE_LEVEL) - names == set()
    assert CASE_LEVEL.keys() & NOT_CASE_LEVEL == set()


def test_every_case_level_view_writes_one_access_row(world, clients, users):  # noqa: F811
    problems = []
    for route in all_routes():
        if route.name not in CASE_LEVEL:
            continue
        url = reverse(route.name, kwargs=url_kwargs(route, world))
        for role, expected in zip(ROLES, EXPECTED[route.name].split(), strict=True):
            last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = clients[role].get(url)
            rows = list(
                AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS, pk__gt=last).values_list(
                    "actor_id", "code"
                )
            )
            if response.status_code != int(expected):
                problems.append(f"{route.name} as {role}: {response.status_code}")
            elif expected == "200":
                wanted = [(users[role].pk, CASE_LEVEL[route.name])]
                if rows != wanted:
                    problems.append(f"{route.name} as {role}: access rows {rows}, wanted {wanted}")
            elif rows:
                problems.append(f"{route.name} as {role} ({expected}): wrote {rows}")
    assert not problems, "\n".join(problems)


def test_every_case_level_view_is_in_the_trail_of_the_child_or_briefing_it_shows(
    world,  # noqa: F811
    clients,  # noqa: F811
):
    """The trail of a record ("Who has seen this?") keys on target type and id: each page's
    access row must be found by the trail of a record it showed (a child's case, or a
    briefing), list pages included."""
    from auditportal.trail_records import record_scope
    from cases.models import Case

    scopes = [record_scope(f"cases.case:{pk}") for pk in Case.objects.values_list("pk", flat=True)]
    scopes.append(record_scope(f"briefings.briefing:{world['briefing'].pk}"))
    scopes.append(record_scope(f"briefings.briefing:{world['draft_version'].briefing_id}"))
    missing = []
    for route in all_routes():
        if route.name not in CASE_LEVEL:
            continue
        url = reverse(route.name, kwargs=url_kwargs(route, world))
        role = next(
            r for r, s in zip(ROLES, EXPECTED[route.name].split(), strict=True) if s == "200"
        )
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

        clients[role].get(url)

        row = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCESS, pk__gt=last)
        if not any(AuditEvent.objects.filter(scope.events, pk=row.pk).exists() for scope in scopes):
            missing.append(f"{route.name} ({row.code} on {row.target_type or 'no target'})")
    assert not missing, "in no record's trail:\n" + "\n".join(missing)
