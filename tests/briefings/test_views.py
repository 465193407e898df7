import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from auditportal.models import AuditEvent
from briefings import services
from briefings.models import Briefing, BriefingDownload, BriefingUse, BriefingVersion
from tests.factories import AuditFactory, BriefingFactory, BriefingVersionFactory

ROLES = ["business", "admin", "practitioner", "other_practitioner", "board", "anonymous"]


# Composer pages: business team only. The practitioner's agency has returns in the audit
# (visible, not allowed: 403); the other practitioner and the board cannot see it (404).
COMPOSER = {
    "business": 200,
    "admin": 200,
    "practitioner": 403,
    "other_practitioner": 404,
    "board": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize("role", ["practitioner", "other_practitioner", "board", "anonymous"])
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("composer", {"title": "Hijacked", "summary": "x"}),
        ("refill", {"field": "summary"}),
        ("render", {}),
    ],
)
def test_composer_writes_refused_change_nothing(briefing, users, client_as, role, name, data):
    before = Briefing.objects.values().get()

    response = client_as(users[role]).post(
        reverse(f"briefings:{name}", args=[briefing.audit_id]), data
    )

    assert response.status_code == (302 if role == "anonymous" else COMPOSER[role])
    assert Briefing.objects.values().get() == before
    assert BriefingVersion.objects.count() == 0


def test_composer_first_visit_creates_the_briefing(briefing_audit, client_as, business):
    response = client_as(business).get(reverse("briefings:composer", args=[briefing_audit.pk]))

    assert response.status_code == 200
    assert Briefing.objects.filter(audit=briefing_audit).count() == 1
    assert b"Refill from audit data" in response.content
    assert b"Not for publishing" not in response.content  # unconsented quote never offered


def test_composer_saves_text_and_toggles(briefing, client_as, business):
    quote = briefing.audit.quotes.get(consent=True)
    data = {
        "title": "Worry and sleep: what we learned",
        "summary": "A short summary.",
        "topic": "What worry means.",
        "working_well": "- **Voice**: good",
        "development": "",
        "will_do": "",
        "next_steps": "",
        "resources_text": "",
        "show_grade_chart": "on",
        "quotes": [quote.pk],
        "version": briefing.edit_version,
    }

    response = client_as(business).post(
        reverse("briefings:composer", args=[briefing.audit_id]), data
    )

    assert response.status_code == 302
    briefing.refresh_from_db()
    assert briefing.title == "Worry and sleep: what we learned"
    assert briefing.show_grade_chart and not briefing.show_engagement
    assert list(briefing.quotes.all()) == [quote]


def test_composer_refuses_bad_input_with_a_message(briefing, client_as, business):
    unconsented = briefing.audit.quotes.get(consent=False)
    before = Briefing.objects.values().get()

    response = client_as(business).post(
        reverse("briefings:composer", args=[briefing.audit_id]),
        {"title": "", "summary": "x" * 10001, "quotes": [unconsented.pk]},
    )

    assert response.status_code == 400
    assert b"The briefing was not saved" in response.content
    assert Briefing.objects.values().get() == before


def test_composer_escapes_hostile_text(briefing, client_as, business):
    services.briefing_update(
        briefing=briefing, actor=business, summary='<script>alert("x")</script>'
    )

    response = client_as(business).get(reverse("briefings:preview", args=[briefing.audit_id]))

    assert b"<script>alert" not in response.content
    assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in response.content


def test_refill_replaces_one_section(briefing, client_as, business):
    services.briefing_update(briefing=briefing, actor=business, development="mine")

    response = client_as(business).post(
        reverse("briefings:refill", args=[briefing.audit_id]), {"field": "development"}
    )

    assert response.status_code == 302
    briefing.refresh_from_db()
    assert briefing.development.startswith("- **Joint working**")


def test_refill_of_an_unknown_section_shows_a_message(briefing, client_as, business):
    response = client_as(business).post(
        reverse("briefings:refill", args=[briefing.audit_id]), {"field": "nonsense"}, follow=True
    )

    assert b"There is no such section to refill." in response.content


def test_render_button_renders_in_process_and_partial_shows_ready(
    briefing, client_as, business, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(business).post(reverse("briefings:render", args=[briefing.audit_id]))

    assert response.status_code == 302
    partial = client_as(business).get(reverse("briefings:versions", args=[briefing.audit_id]))
    assert b"Ready" in partial.content
    assert b"hx-trigger" not in partial.content  # nothing left to poll for


def test_versions_partial_polls_and_says_when_the_worker_is_missing(briefing, client_as, business):
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    BriefingVersion.objects.filter(pk=version.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=2)
    )

    response = client_as(business).get(reverse("briefings:versions", args=[briefing.audit_id]))

    assert b'hx-trigger="every 2s"' in response.content
    assert b"Waiting for the PDF worker" in response.content


def test_failed_version_shows_its_reason_and_a_rerun_button(briefing, client_as, business):
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
    BriefingVersion.objects.filter(pk=version.pk).update(
        status=BriefingVersion.Status.FAILED, error="OSError: disk full"
    )

    response = client_as(business).get(reverse("briefings:composer", args=[briefing.audit_id]))

    assert b"Failed: OSError: disk full" in response.content
    assert reverse("briefings:version-rerun", args=[version.pk]).encode() in response.content


# Versions: approve, publish, re-run (business team), download (published: everyone)


@pytest.mark.parametrize("role", ROLES)
def test_download_of_an_unpublished_version_matrix(ready_version, users, client_as, role):
    expected = {"business": 200, "admin": 200, "anonymous": 302}.get(role, 404)

    response = client_as(users[role]).get(
        reverse("briefings:version-download", args=[ready_version.pk])
    )

    assert response.status_code == expected
    assert BriefingDownload.objects.count() == (1 if expected == 200 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_download_of_a_published_version_matrix(published_version, users, client_as, role):
    expected = 302 if role == "anonymous" else 200

    response = client_as(users[role]).get(
        reverse("briefings:version-download", args=[published_version.pk])
    )

    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        download = BriefingDownload.objects.get()
        assert download.user == users[role]
        assert AuditEvent.objects.filter(code="briefing.downloaded").count() == 1


def test_superseded_version_stays_downloadable_to_business_only(
    published_version, business, board, client_as
):
    newer = services.briefing_render_now(briefing=published_version.briefing, actor=business)
    services.version_approve(version=newer, actor=board.__class__.objects.get(username="business2"))
    services.briefing_publish(version=newer, actor=business)
    url = reverse("briefings:version-download", args=[published_version.pk])

    assert client_as(board).get(url).status_code == 404
    assert client_as(business).get(url).status_code == 200


def test_download_is_listed_on_the_composer(published_version, board, business, client_as):
    client_as(board).get(reverse("briefings:version-download", args=[published_version.pk]))

    response = client_as(business).get(
        reverse("briefings:composer", args=[published_version.briefing.audit_id])
    )

    assert board.get_full_name().encode() in response.content


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["version-approve", "version-publish", "version-rerun"])
def test_version_actions_permission_matrix(ready_version, users, client_as, role, name):
    expected = {"business": 302, "admin": 302, "anonymous": 302}.get(role, 404)

    response = client_as(users[role]).post(reverse(f"briefings:{name}", args=[ready_version.pk]))

    assert response.status_code == expected
    ready_version.refresh_from_db()
    if role not in {"business", "admin"}:
        assert ready_version.approved_by is None
        assert Briefing.objects.get().published_version is None


def test_approving_your_own_version_shows_a_clear_refusal(ready_version, business, client_as):
    response = client_as(business).post(
        reverse("briefings:version-approve", args=[ready_version.pk]), follow=True
    )

    assert "You rendered version 1, so you cannot approve it" in response.content.decode()
    ready_version.refresh_from_db()
    assert ready_version.approved_by is None


def test_publishing_without_approval_shows_a_message(ready_version, business2, client_as):
    response = client_as(business2).post(
        reverse("briefings:version-publish", args=[ready_version.pk]), follow=True
    )

    assert "has not been approved" in response.content.decode()


def test_board_is_refused_version_actions_on_a_published_version(
    published_version, board, client_as
):
    response = client_as(board).post(
        reverse("briefings:version-rerun", args=[published_version.pk])
    )

    assert response.status_code == 403


# Published list, take-up and use records


@pytest.mark.parametrize("role", ROLES)
def test_published_list_matrix(published_version, users, client_as, role):
    response = client_as(users[role]).get(reverse("briefings:published"))

    assert response.status_code == (302 if role == "anonymous" else 200)
    if role != "anonymous":
        assert published_version.briefing.title.encode() in response.content


def test_published_list_hides_unpublished_briefings(ready_version, board, client_as):
    response = client_as(board).get(reverse("briefings:published"))

    assert ready_version.briefing.title.encode() not in response.content
    assert b"No briefings have been published yet" in response.content


def _published_briefing(title: str, when: datetime.datetime, priority: str) -> Briefing:
    briefing = BriefingFactory(audit=AuditFactory(priority=priority), title=title)
    version = BriefingVersionFactory(
        briefing=briefing, status=BriefingVersion.Status.READY, pdf="briefings/x.pdf"
    )
    Briefing.objects.filter(pk=briefing.pk).update(
        status=Briefing.Status.PUBLISHED, published_version=version, published_at=when
    )
    return briefing


def test_published_list_is_newest_first_and_filters(board, client_as):
    tz = datetime.UTC
    _published_briefing("Older", datetime.datetime(2025, 3, 1, tzinfo=tz), "Neglect")
    _published_briefing("Newer", datetime.datetime(2026, 3, 1, tzinfo=tz), "Mental health")
    client = client_as(board)

    everything = client.get(reverse("briefings:published")).content.decode()
    by_year = client.get(reverse("briefings:published"), {"year": "2025"}).content.decode()
    by_priority = client.get(reverse("briefings:published"), {"priority": "Mental health"})

    assert everything.index("Newer") < everything.index("Older")
    assert "Older" in by_year and "Newer" not in by_year
    assert b"Newer" in by_priority.content and b"Older" not in by_priority.content


def test_published_list_with_a_bad_filter_shows_everything(board, client_as):
    _published_briefing("Kept", timezone.now(), "Neglect")

    response = client_as(board).get(reverse("briefings:published"), {"year": "abc"})

    assert response.status_code == 200
    assert b"Kept" in response.content


@pytest.mark.parametrize("n", [1, 3])
def test_published_list_query_count(board, client_as, n, django_assert_num_queries):
    for i in range(n):
        _published_briefing(f"Briefing {i}", timezone.now(), f"Priority {i}")
    client = client_as(board)

    # session, user, OTP device, priorities, years, briefings with audit and version
    with django_assert_num_queries(6):
        response = client.get(reverse("briefings:published"))

    assert response.status_code == 200


def test_practitioner_records_use_for_their_own_agency(
    published_version, practitioner, agency_a, client_as
):
    response = client_as(practitioner).post(
        reverse("briefings:use-record", args=[published_version.briefing_id]),
        {
            "agency": agency_a.pk,
            "used_on": timezone.localdate().isoformat(),
            "format": "team_meeting",
            "how": "Discussed at the team meeting",
            "staff_reached": "12",
        },
    )

    assert response.status_code == 302
    use = BriefingUse.objects.get()
    assert (use.agency, use.format, use.staff_reached, use.recorded_by) == (
        agency_a,
        BriefingUse.Format.TEAM_MEETING,
        12,
        practitioner,
    )


def test_practitioner_cannot_record_use_for_another_agency(
    published_version, practitioner, agency_b, client_as
):
    response = client_as(practitioner).post(
        reverse("briefings:use-record", args=[published_version.briefing_id]),
        {
            "agency": agency_b.pk,
            "used_on": timezone.localdate().isoformat(),
            "format": "bulletin",
            "how": "x",
            "staff_reached": "3",
        },
    )

    assert response.status_code == 400
    assert BriefingUse.objects.count() == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"used_on": "2999-01-01"},
        {"used_on": "not a date"},
        {"staff_reached": "-4"},
        {"staff_reached": "many"},
        {"format": ""},
        {"format": "podcast"},
        {"used_on": "2000-01-01"},
    ],
)
def test_use_record_bad_input(published_version, business, agency_a, client_as, bad):
    data = {
        "agency": agency_a.pk,
        "used_on": timezone.localdate().isoformat(),
        "format": "bulletin",
        "how": "Shared in the bulletin",
        "staff_reached": "40",
        **bad,
    }

    response = client_as(business).post(
        reverse("briefings:use-record", args=[published_version.briefing_id]), data
    )

    assert response.status_code == 400
    assert b"Your record was not saved" in response.content
    assert BriefingUse.objects.count() == 0


def test_take_up_counts_uses_and_staff_per_agency(published_version, business, agency_a, client_as):
    for staff in (12, 30):
        services.briefing_use_record(
            briefing=published_version.briefing,
            agency=agency_a,
            used_on=timezone.localdate(),
            how="Team meeting",
            staff_reached=staff,
            actor=business,
        )

    rows = {a.name: a for a in services_take_up(business)}

    assert (rows[agency_a.name].uses, rows[agency_a.name].staff) == (2, 42)
    response = client_as(business).get(reverse("briefings:take-up"))
    assert b"42" in response.content


def services_take_up(user):
    from briefings.selectors import take_up_by_agency

    return take_up_by_agency(user)


@pytest.mark.parametrize("n", [1, 3])
def test_take_up_query_count(business, client_as, n, django_assert_num_queries):
    from tests.factories import AgencyFactory

    briefing = _published_briefing("Used", timezone.now(), "Neglect")
    for _ in range(n):
        BriefingUse.objects.create(
            briefing=briefing,
            agency=AgencyFactory(),
            used_on=timezone.localdate(),
            how="Team meeting",
            staff_reached=5,
        )
    client = client_as(business)

    # session, user, OTP device, agencies annotated with uses and staff, events by month,
    # events by format, partnership settings (suppression), pulses (none: no more queries)
    with django_assert_num_queries(8):
        response = client.get(reverse("briefings:take-up"))

    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_composer_query_count(briefing, business, board, client_as, n, django_assert_num_queries):
    from auditportal.pdf import RenderedPDF

    for _ in range(n):
        version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)
        services._store(version.pk, RenderedPDF(content=b"%PDF-1.7\n", page_count=1))
        services.version_download_record(version=version, actor=board)
    client = client_as(business)

    with django_assert_num_queries(COMPOSER_QUERIES):
        response = client.get(reverse("briefings:composer", args=[briefing.audit_id]))

    assert response.status_code == 200


# session, user, OTP device, audit, savepoint + briefing + release (get or create), chosen
# resources and quotes (form initial), access log insert, versions with their users, quote
# choices (queryset check + rendering), resource choices (check + rendering), downloads with
# users and versions, the partnership's suppression threshold
COMPOSER_QUERIES = 17
