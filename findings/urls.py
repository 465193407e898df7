from django.urls import path

from .views import feed as feed_views
from .views import findings, survey_quotes
from .views import reaudit as reaudit_views
from .views import results as results_views
from .views import trends as trend_views

app_name = "findings"

# Results, moderation grades, exports, board dashboard (findings/views/results.py); trends
# (findings/views/trends.py).
results_urls: list = [
    path("audits/<int:pk>/results/", results_views.results, name="results"),
    path(
        "audits/<int:pk>/results/themes/<int:theme_pk>/evidence/",
        results_views.results_evidence,
        name="results-evidence",
    ),
    path(
        "audits/<int:pk>/results/themes/<int:theme_pk>/agencies/",
        results_views.results_theme_agencies,
        name="results-theme-agencies",
    ),
    path(
        "audits/<int:pk>/results/export.<str:fmt>",
        results_views.results_export,
        name="results-export",
    ),
    path(
        "audits/<int:pk>/answers/export.<str:fmt>",
        results_views.answers_export,
        name="answers-export",
    ),
    path("answers/<int:pk>/moderate/", results_views.moderate, name="moderate"),
    path("themes/<int:pk>/trend/", trend_views.trend, name="trend"),
    path("trends/", trend_views.trend_index, name="trend-index"),
    path("trends/questions/<int:pk>/", trend_views.question_trend_page, name="question-trend"),
    path("trends/completion/", trend_views.completion_trend_page, name="completion-trend"),
    path("dashboard/", results_views.dashboard, name="dashboard"),
    path("feed/figures.<str:fmt>", feed_views.feed_data, name="feed-data"),
    path("feed/tokens/", feed_views.feed_tokens, name="feed-tokens"),
    path(
        "feed/tokens/<int:pk>/revoke/", feed_views.feed_token_revoke_view, name="feed-token-revoke"
    ),
    path(
        "audits/<int:pk>/did-practice-change/",
        reaudit_views.reaudit_results,
        name="reaudit-results",
    ),
]

# Findings, actions, action tracker, sub-groups, engagement, quotes, resources
# (findings/views/findings.py).
findings_urls: list = [
    path("audits/<int:audit_pk>/findings/", findings.finding_list, name="finding-list"),
    path("audits/<int:audit_pk>/findings/new/", findings.finding_create, name="finding-create"),
    path("audits/<int:audit_pk>/findings/agree/", findings.findings_agree, name="findings-agree"),
    path("<int:pk>/edit/", findings.finding_update, name="finding-update"),
    path("<int:pk>/delete/", findings.finding_delete, name="finding-delete"),
    path("<int:pk>/move/", findings.finding_move, name="finding-move"),
    path("promote/<int:answer_pk>/", findings.finding_promote, name="finding-promote"),
    path("audits/<int:audit_pk>/actions/new/", findings.action_create, name="action-create"),
    path("actions/", findings.action_tracker, name="action-tracker"),
    path("actions/<int:pk>/", findings.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", findings.action_update, name="action-update"),
    path("actions/<int:pk>/re-audit/", reaudit_views.action_reaudit, name="action-reaudit"),
    path("<int:pk>/re-audit/", reaudit_views.finding_reaudit, name="finding-reaudit"),
    path("actions/<int:pk>/delete/", findings.action_delete, name="action-delete"),
    path("sub-groups/", findings.subgroup_list, name="subgroup-list"),
    path("sub-groups/new/", findings.subgroup_create, name="subgroup-create"),
    path("sub-groups/<int:pk>/edit/", findings.subgroup_update, name="subgroup-update"),
    path("sub-groups/<int:pk>/retire/", findings.subgroup_retire, name="subgroup-retire"),
    path("audits/<int:audit_pk>/engagement/", findings.engagement, name="engagement"),
    path("audits/<int:audit_pk>/quotes/new/", findings.quote_create, name="quote-create"),
    path("quotes/<int:pk>/edit/", findings.quote_update, name="quote-update"),
    path("quotes/<int:pk>/delete/", findings.quote_delete, name="quote-delete"),
    path("quotes/<int:pk>/move/", findings.quote_move, name="quote-move"),
    path("audits/<int:audit_pk>/survey-quotes/", survey_quotes.survey_quotes, name="survey-quotes"),
    path(
        "survey-answers/<int:pk>/quote/",
        survey_quotes.survey_quote_review_page,
        name="survey-quote-review",
    ),
    path("resources/", findings.resource_list, name="resource-list"),
    path("resources/new/", findings.resource_create, name="resource-create"),
    path("resources/<int:pk>/edit/", findings.resource_update, name="resource-update"),
    path("resources/<int:pk>/retire/", findings.resource_retire, name="resource-retire"),
]

urlpatterns = results_urls + findings_urls
