import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from findings import services
from findings.models import Resource
from findings.selectors import active_resources
from tests.factories import ResourceFactory


def test_active_resources_only(db):
    kept = ResourceFactory(title="Chronology toolkit", kind="toolkit")
    ResourceFactory(title="Old guidance", active=False)

    assert list(active_resources()) == [kept]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html;base64,PHNjcmlwdD4=",
        "ftp://files.example.org/guide.pdf",
        "riverbend.example/guide",
        "",
    ],
)
def test_resource_url_must_be_http_or_https(business, url):
    with pytest.raises(ValidationError) as error:
        services.resource_create(title="Guide", url=url, kind="guidance", actor=business)

    assert "url" in error.value.message_dict
    assert Resource.objects.count() == 0


@pytest.mark.parametrize("url", ["https://riverbend.example/guide", "http://example.org/x?y=1"])
def test_resource_http_urls_accepted(business, url):
    resource = services.resource_create(title="Guide", url=url, kind="guidance", actor=business)

    assert resource.url == url


def test_resource_create_view_rejects_javascript_url(client_as, business):
    response = client_as(business).post(
        reverse("findings:resource-create"),
        {"title": "Sneaky", "url": "javascript:alert(1)", "kind": "training", "active": "on"},
    )

    assert response.status_code == 200
    assert "starting with https://" in response.content.decode()
    assert Resource.objects.count() == 0


def test_resource_update_view(client_as, business):
    resource = ResourceFactory()

    response = client_as(business).post(
        reverse("findings:resource-update", args=[resource.pk]),
        {"title": "Renamed", "url": "https://example.org/new", "kind": "toolkit"},
    )

    resource.refresh_from_db()
    assert response.status_code == 302
    assert (resource.title, resource.kind, resource.active) == ("Renamed", "toolkit", False)


def test_resource_retire_and_reinstate(client_as, business):
    resource = ResourceFactory()
    client = client_as(business)

    client.post(reverse("findings:resource-retire", args=[resource.pk]))
    resource.refresh_from_db()
    assert resource.active is False
    client.post(reverse("findings:resource-retire", args=[resource.pk]))
    resource.refresh_from_db()
    assert resource.active is True


@pytest.mark.parametrize("n", [1, 3])
def test_resource_list_query_count(client_as, business, n, django_assert_num_queries):
    for _ in range(n):
        ResourceFactory()
    client = client_as(business)
    client.get(reverse("findings:resource-list"))

    # session, user, OTP device, resources
    with django_assert_num_queries(4):
        response = client.get(reverse("findings:resource-list"))

    assert response.status_code == 200


def test_resource_list_searches_and_filters_by_kind(client, business):
    from tests.factories import ResourceFactory

    ResourceFactory(title="Neglect toolkit for schools", kind="toolkit")
    ResourceFactory(title="Voice of the child training", kind="training")
    client.force_login(business)

    by_text = client.get("/findings/resources/", {"q": "neglect"})
    by_kind = client.get("/findings/resources/", {"kind": "training"})
    nothing = client.get("/findings/resources/", {"q": "no such resource"})

    assert [r.title for r in by_text.context["resources"]] == ["Neglect toolkit for schools"]
    assert [r.title for r in by_kind.context["resources"]] == ["Voice of the child training"]
    assert "No resources match" in nothing.content.decode()
