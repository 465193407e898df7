"""The disclosure check reads what is printed: the text and every link target of the HTML the
PDF is made from, as a reader sees it (Unicode folded, invisible characters removed), for the
audit's pseudonyms and every record reference of the partnership."""

import copy

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefings import data, disclosure, services
from briefings.models import Briefing
from tests.factories import CaseAgencyFactory, RecordReferenceFactory, ResourceFactory

from .conftest import PSEUDONYMS, REFERENCES


def pdf_text(version) -> str:
    with version.pdf.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(handle).pages)


def render_approved(briefing, business, business2):
    version = services.briefing_render_now(briefing=briefing, actor=business)
    services.version_approve(version=version, actor=business2)
    return version


def test_a_record_reference_in_a_ticked_resource_url_refuses_publishing(
    briefing, business, business2
):
    resource = ResourceFactory(
        title="Early help file", url="https://records.example/file/CSC-000123"
    )
    services.briefing_update(briefing=briefing, actor=business, resources=[resource])
    version = render_approved(briefing, business, business2)
    assert "CSC-000123" in pdf_text(version)  # the PDF prints the URL

    with pytest.raises(ValidationError) as refused:
        services.briefing_publish(version=version, actor=business2)

    assert 'A link in section 7 (Resources) contains the record reference "CSC-000123".' in (
        refused.value.messages
    )
    assert Briefing.objects.get().published_version is None


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ("YP\u200b1", "YP1"),  # zero-width space
        ("Y\u00adP1", "YP1"),  # soft hyphen
        ("YP\u20601", "YP1"),  # word joiner
        ("ＹＰ１", "YP1"),  # full-width forms
        ("Child\u00a0B", "Child B"),  # no-break space
        ("CSC-000123_2025", "CSC-000123"),  # "_" is not a boundary
        ("POL\u201198765", "POL-98765"),  # non-breaking hyphen
        ("csc 000123", "CSC-000123"),
    ],
)
def test_spellings_a_reader_would_read_as_the_identifier_refuse_publishing(
    briefing, business, business2, written, named
):
    services.briefing_update(briefing=briefing, actor=business, topic=f"We read {written} again.")
    version = render_approved(briefing, business, business2)

    with pytest.raises(ValidationError) as refused:
        services.briefing_publish(version=version, actor=business2)

    assert any(f'"{named}"' in message for message in refused.value.messages)


def test_a_record_reference_of_a_child_in_another_audit_is_refused(briefing, business, agency_a):
    other = CaseAgencyFactory(agency=agency_a)  # a child of an earlier audit
    RecordReferenceFactory(involvement=other, reference="EARLY-884598")
    services.briefing_update(
        briefing=briefing, actor=business, next_steps="Compare with EARLY-884598."
    )
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)

    problems = services.disclosure_problems(version)

    assert problems == ['Section 6 (Next steps) contains the record reference "EARLY-884598".']


def test_the_check_still_matches_whole_identifiers_only(briefing, business):
    services.briefing_update(
        briefing=briefing,
        actor=business,
        topic="YP10, YP1x and xYP1 are not YP-one; Child Bea; CSC-0001234 and POL-987650.",
    )
    version = services.briefing_render(briefing=briefing, actor=business, enqueue=False)

    assert services.disclosure_problems(version) == []


# ---------------------------------------------------------------------------------------------
# Spellings, generated


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff", "\u200e", "\u2063"]
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2212", "\ufe63", "\uff0d", "_", " ", ""]
SPACES = [" ", "\u00a0", "\u2009", "\u202f", "\u3000", "", "-", "_", "  "]
# What may sit either side of an identifier without joining it to another word.
BEFORE = ["", " ", "(", "file ", "https://records.example/file/", "ref:", "“", "#"]
AFTER = ["", "_2025", "_", ".", ")", " today", "/", "?v=1", "”", ",", "'s"]


def _full_width(char: str) -> str:
    return chr(ord(char) - 0x21 + 0xFF01) if "!" <= char <= "~" else char


@st.composite
def spelling(draw, value: str) -> str:
    out = []
    for char in value:
        if char == "-":
            char = draw(st.sampled_from(DASHES))
        elif char == " ":
            char = draw(st.sampled_from(SPACES))
        else:
            char = draw(st.sampled_from([char, char.lower(), char.upper()]))
            if draw(st.booleans()):
                char = _full_width(char)
        out.append(char)
        if draw(st.integers(0, 3)) == 0:
            out.append(draw(st.sampled_from(INVISIBLE)))
    return draw(st.sampled_from(BEFORE)) + "".join(out) + draw(st.sampled_from(AFTER))


def _place(content: dict, where: str, text: str) -> dict:
    content = copy.deepcopy(content)
    if where == "section":
        content["sections"][1]["text"] = f"What we saw: {text} and more."
    elif where == "resource_url":
        content["resources"].append(
            {"title": "Guide", "url": f"https://example.org/{text}", "kind": "Guidance"}
        )
    elif where == "resource_title":
        content["resources"].append({"title": text, "url": "https://example.org/", "kind": "x"})
    elif where == "quote":
        content["data"]["quotes"] = [{"text": text, "source": "young person"}]
    elif where == "title":
        content["title"] = f"Learning from {text}"
    return content


@pytest.fixture
def printed(briefing):
    """The briefing's snapshot and the identifiers the check looks for."""
    return data.snapshot(briefing), disclosure.identifiers_for(briefing.audit)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.data(),
    st.sampled_from(PSEUDONYMS + REFERENCES),
    st.sampled_from(["section", "resource_url", "resource_title", "quote", "title"]),
)
def test_no_generated_spelling_of_an_identifier_gets_past_the_check(printed, draw, value, where):
    snapshot, identifiers = printed
    written = draw.draw(spelling(value))
    content = _place(snapshot, where, written)

    problems = disclosure.printed_problems(content, identifiers)

    assert any(f'"{value}"' in problem for problem in problems), (written, problems)
