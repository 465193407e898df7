"""The web briefing (every signed-in role reads the published version, each reading logged)
and the public version (an unguessable link, no sign-in, withdrawn at once): issue 17,
points 1 and 2. Both are drawn from the version's frozen snapshot, as its PDF is."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import strip_tags

from auditportal.models import AuditEvent
from briefings import services
from briefings.models import Briefing, BriefingPublicLink
from tests.factories import CaseFactory

# Board members and every practitioner of the partnership (either agency) read it.
ROLES_SIGNED_IN = ["business", "practitioner", "other_practitioner", "board"]

# ---------------------------------------------------------------------------------------------
# The web briefing


@pytest.mark.parametrize("role", ROLES_SIGNED_IN)
def test_every_signed_in_role_reads_the_published_version_and_is_logged(
    published_version, users, client_as, role
):
    response = client_as(users[role]).get(
        reverse("briefings:version-read", args=[published_version.pk])
    )

    assert response.status_code == 200
    events = AuditEvent.objects.filter(code="briefing.read")
    assert [(e.actor, e.target_id) for e in events] == [(users[role], str(published_version.pk))]


def test_the_web_briefing_has_the_seven_points_as_headings_and_a_table_by_the_chart(
    published_version, practitioner, client_as
):
    response = client_as(practitioner).get(published_version.get_read_url())

    html = response.content.decode()
    for section in published_version.content["sections"]:
        assert f'<h2 id="point-{section["number"]}" class="point-heading">' in html
        assert section["heading"] in html
    assert html.count("<h1") == 1
    assert '<img src="data:image/svg+xml;base64,' in html
    assert '<table class="figures grades">' in html
    assert "Not applicable</th>" in html


def test_the_web_briefing_suppresses_small_counts_by_default(published_version, board, client_as):
    """Two cases, both graded good: the table says "fewer than 3", never "2 of 2"."""
    html = client_as(board).get(published_version.get_read_url()).content.decode()

    assert "fewer than 3" in html
    assert "(2 of 2)" not in html


def test_the_web_briefing_shows_the_frozen_snapshot_not_todays_text(
    published_version, briefing, business, board, client_as
):
    services.briefing_update(briefing=briefing, actor=business, summary="Rewritten since.")

    html = client_as(board).get(published_version.get_read_url()).content.decode()

    assert "Rewritten since." not in html
    assert "How well do agencies work together?" in html


def test_an_unpublished_version_is_not_readable_but_by_the_business_team(
    ready_version, users, client_as
):
    url = reverse("briefings:version-read", args=[ready_version.pk])

    statuses = {role: client_as(users[role]).get(url).status_code for role in ROLES_SIGNED_IN}

    assert statuses == {role: 200 if role == "business" else 404 for role in ROLES_SIGNED_IN}


def test_the_published_list_links_to_the_web_briefing(published_version, practitioner, client_as):
    html = client_as(practitioner).get(reverse("briefings:published")).content.decode()

    assert published_version.get_read_url() in html


# ---------------------------------------------------------------------------------------------
# The public version


def test_a_public_link_needs_no_sign_in_and_asks_not_to_be_indexed(
    published_version, business, client
):
    link = services.public_link_create(version=published_version, actor=business)

    response = client.get(link.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert published_version.content["title"] in html
    assert "fewer than 3" in html
    assert "(2 of 2)" not in html
    assert len(link.token) >= 43
    assert AuditEvent.objects.filter(code="briefing.public_link_created").count() == 1


def test_a_public_link_may_be_indexed_when_the_partnership_chooses(
    published_version, business, client
):
    link = services.public_link_create(
        version=published_version, actor=business, allow_indexing=True
    )

    response = client.get(link.get_absolute_url())

    assert "X-Robots-Tag" not in response
    assert 'name="robots"' not in response.content.decode()


def test_the_public_version_shows_nothing_the_pdf_does_not(published_version, business, client):
    """The same include prints both, from the same snapshot: the public page's words and
    images are the print document's."""
    from briefings.document import version_html

    link = services.public_link_create(version=published_version, actor=business)
    public = client.get(link.get_absolute_url()).content.decode()
    printed = version_html(published_version.content, version_label="")

    def document(html: str) -> str:
        """The words and pictures of the seven points (the web adds only scroll regions)."""
        start = html.index('<section class="point point-1"')
        body = html[start : html.rindex("</section>")]
        images = re.findall(r'<img [^>]*src="([^"]+)"[^>]*alt="([^"]+)"', body)
        return " ".join(strip_tags(body).split()), images

    assert document(public) == document(printed)
    assert len(document(public)[1]) == 1  # the grade chart, drawn from the same rows


def test_a_withdrawn_link_is_a_plain_404(published_version, business, client):
    link = services.public_link_create(version=published_version, actor=business)

    services.public_link_withdraw(link=link, actor=business)
    response = client.get(link.get_absolute_url())

    assert response.status_code == 404
    html = response.content.decode()
    assert published_version.content["title"] not in html
    assert "withdrawn" not in html.lower()
    unknown = client.get(reverse("briefings:public", args=["x" * 43])).content.decode()

    def main(page: str) -> str:
        return page[page.index("<main") : page.index("</main>")]

    assert main(unknown) == main(html)


def test_a_superseded_version_s_link_is_404(
    published_version, briefing, business, business2, client
):
    link = services.public_link_create(version=published_version, actor=business)
    newer = services.briefing_render_now(briefing=briefing, actor=business)
    services.version_approve(version=newer, actor=business2)
    services.briefing_publish(version=newer, actor=business2)

    assert client.get(link.get_absolute_url()).status_code == 404


def test_a_public_link_of_an_unpublished_version_is_refused(ready_version, business):
    with pytest.raises(ValidationError) as refused:
        services.public_link_create(version=ready_version, actor=business)

    assert "only the published version can have a public link" in refused.value.messages[0]
    assert BriefingPublicLink.objects.count() == 0


def test_a_snapshot_naming_a_case_is_refused_a_public_link_naming_the_text(
    published_version, business, briefing_audit
):
    """A pseudonym added to the partnership since publishing: the check runs again."""
    CaseFactory(audit=briefing_audit, pseudonym="Worry")

    with pytest.raises(ValidationError) as refused:
        services.public_link_create(version=published_version, actor=business)

    messages = " ".join(refused.value.messages)
    assert "The public version is refused" in messages
    assert '"Worry"' in messages
    assert BriefingPublicLink.objects.count() == 0


def test_the_composer_makes_and_withdraws_a_public_link(
    published_version, business, client_as, client
):
    composer = reverse("briefings:composer", args=[published_version.briefing.audit_id])
    signed_in = client_as(business)

    page = signed_in.post(
        reverse("briefings:version-public-link", args=[published_version.pk]), follow=True
    )
    link = BriefingPublicLink.objects.get()
    assert link.get_absolute_url() in page.content.decode()
    assert page.redirect_chain[-1][0] == composer + "#public-version"
    page = signed_in.post(reverse("briefings:public-link-withdraw", args=[link.pk]), follow=True)

    assert "The public link is withdrawn" in page.content.decode()
    link.refresh_from_db()
    assert link.withdrawn_at is not None
    assert Briefing.objects.get().published_version == published_version


@pytest.mark.parametrize("role", ["practitioner", "board"])
def test_only_the_business_team_makes_or_withdraws_public_links(
    published_version, business, users, client_as, role
):
    link = services.public_link_create(version=published_version, actor=business)
    client = client_as(users[role])

    made = client.post(reverse("briefings:version-public-link", args=[published_version.pk]))
    withdrawn = client.post(reverse("briefings:public-link-withdraw", args=[link.pk]))

    assert (made.status_code, withdrawn.status_code) == (403, 403)
    assert BriefingPublicLink.objects.filter(withdrawn_at__isnull=True).count() == 1
