"""The return form's hand-built field markup (audits.return_field_html) and the lean autosave:
same names, ids, values, labels, checked and disabled state, errors and fieldsets as the
crispy-forms markup they replace; progress in the autosave reply as saved."""

from html.parser import HTMLParser

import pytest
from django.template import engines
from django.urls import reverse

from audits.answers import AnswerValue, evidence_name, field_name
from audits.models import Answer, QuestionSetItem
from audits.return_field_html import return_field_html
from audits.return_forms import ReturnForm
from audits.selectors import return_items

from .returns_builders import add_checklist_questions, answers_post, build_open_audit


class _Tokens(HTMLParser):
    """Tags with their attributes in order, and text with whitespace collapsed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[str] = []
        self._text = ""

    def _flush(self):
        if text := " ".join(self._text.split()):
            self.tokens.append(text)
        self._text = ""

    def handle_starttag(self, tag, attrs):
        self._flush()
        self.tokens.append(f"<{tag} {attrs}>")

    def handle_endtag(self, tag):
        self._flush()
        self.tokens.append(f"</{tag}>")

    def handle_data(self, data):
        self._text += data


def _tokens(html: str) -> list[str]:
    parser = _Tokens()
    parser.feed(html)
    parser._flush()
    return parser.tokens


CRISPY_FIELD = engines["django"].from_string(
    "{% load crispy_forms_filters %}{{ f|as_crispy_field }}"
)


@pytest.fixture
def built(agency_a):
    return build_open_audit(agencies=[agency_a])


def _form_states(built, audit_return):
    items = return_items(audit_return)
    saved = {
        built.items["grade"].pk: AnswerValue(choice="good", evidence="Seen <b>twice</b>"),
        built.items["checklist"].pk: AnswerValue(ticks=frozenset({"Neglect", "Young carer"})),
        built.items["number"].pk: AnswerValue(number=None),
    }
    invalid = answers_post(
        built, 0, grade="bogus", ynp="yes", checklist=["Neglect", "Nope"], number="abc"
    )
    invalid[evidence_name(built.items["ynp"])] = "x" * 5001
    bound = ReturnForm(invalid, items=items)
    bound.is_valid()
    return {
        "unbound": ReturnForm(items=items, answers=saved, initial={"version": 0}),
        "read_only": ReturnForm(items=items, answers=saved, disabled=True),
        "invalid": bound,
        "valid": ReturnForm(answers_post(built, 0, ynp="partly", number="3.5"), items=items),
    }


@pytest.mark.parametrize("state", ["unbound", "read_only", "invalid", "valid"])
def test_return_field_html_matches_crispy_markup(built, agency_a, state):
    form = _form_states(built, built.return_for(agency_a))[state]
    if form.is_bound:
        form.is_valid()

    for name in form.fields:
        if name == "version":
            continue
        ours = str(return_field_html(form[name]))
        crispy = CRISPY_FIELD.render({"f": form[name]})

        assert _tokens(ours) == _tokens(crispy), name


def test_return_page_radios_keep_saved_choice_labels_and_fieldset(
    client_as, practitioner, built, agency_a
):
    audit_return = built.return_for(agency_a)
    client = client_as(practitioner)
    client.post(
        audit_return.get_absolute_url(),
        answers_post(built, 0, grade="good", ynp="partly", checklist=["Neglect"]),
    )
    grade = built.items["grade"].pk

    body = client.get(audit_return.get_absolute_url()).content.decode()

    assert (
        f'<input type="radio" class="form-check-input" name="q{grade}" value="good" '
        f'id="id_q{grade}_1" checked>' in body
    )
    assert (
        f'<input type="radio" class="form-check-input" name="q{grade}" value="outstanding" '
        f'id="id_q{grade}_0">' in body
    )
    assert f'<label for="id_q{grade}_1" class="form-check-label">Good</label>' in body
    assert (
        '<legend class="form-label fs-6">How well were the child&#x27;s wishes recorded?'
        "</legend>" in body
    )
    checklist = built.items["checklist"].pk
    assert f'value="Neglect" id="id_q{checklist}_0" checked>' in body
    assert f'value="Domestic abuse" id="id_q{checklist}_1">' in body
    assert body.count(" checked>") == 3  # good, partly, Neglect


def test_return_page_invalid_save_marks_fields_and_keeps_typing(
    client_as, practitioner, built, agency_a
):
    audit_return = built.return_for(agency_a)
    grade, number = built.items["grade"].pk, built.items["number"].pk

    response = client_as(practitioner).post(
        audit_return.get_absolute_url(), answers_post(built, 0, grade="bogus", number="abc")
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert f'<fieldset aria-describedby="id_q{grade}_error">' in body
    assert (
        f'<input type="radio" class="form-check-input is-invalid" name="q{grade}" '
        f'value="good" id="id_q{grade}_1" aria-invalid="true">' in body
    )
    assert (
        f'<p id="error_1_id_q{grade}"><strong>Select a valid choice. bogus is not one of the '
        "available choices.</strong></p>" in body
    )
    assert f'name="q{number}" value="abc"' in body
    assert f'<p id="error_1_id_q{number}"><strong>Enter a number.</strong></p>' in body
    assert not Answer.objects.exists()


def test_return_page_read_only_fields_are_disabled(client_as, business, built, agency_a):
    audit_return = built.return_for(agency_a)

    body = client_as(business).get(audit_return.get_absolute_url()).content.decode()

    inputs = [t for t in _tokens(body) if t.startswith(("<input", "<textarea"))]
    answers = [t for t in inputs if "('name', 'q" in t]
    # 5 grades, 4 yes/partly/no, 3 ticks, 2 evidence boxes, the number and the text
    assert len(answers) == 16
    assert all("('disabled', None)" in t for t in answers)


def test_return_field_html_escapes_question_text_and_help(built, agency_a):
    QuestionSetItem.objects.filter(pk=built.items["ynp"].pk).update(
        text="<script>alert(1)</script>", help_text="<img src=x onerror=alert(1)>"
    )
    items = return_items(built.return_for(agency_a))
    item = next(i for i in items if i.pk == built.items["ynp"].pk)

    html = str(return_field_html(ReturnForm(items=items)[field_name(item)]))

    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("extra_questions", [1, 3])
def test_autosave_query_count(
    client_as, practitioner, agency_a, extra_questions, django_assert_num_queries
):
    built = build_open_audit(agencies=[agency_a])
    add_checklist_questions(built, extra_questions)
    audit_return = built.return_for(agency_a)
    client = client_as(practitioner)
    url = reverse("audits:return-autosave", args=[audit_return.pk])
    client.post(url, answers_post(built, 0, grade="good"))

    # session, user, MFA device, return, writable check, items; in the service (savepoint):
    # writable check, items, version update, answers, ticks, changed answers (one update, one
    # history insert, however many changed), refresh, audit-log insert, release
    with django_assert_num_queries(17):
        response = client.post(url, answers_post(built, 1, grade="outstanding"))

    assert response.status_code == 200
    assert response.json()["version"] == 2


def test_autosave_progress_is_what_was_saved(client_as, practitioner, built, agency_a):
    audit_return = built.return_for(agency_a)
    url = reverse("audits:return-autosave", args=[audit_return.pk])

    response = client_as(practitioner).post(
        url, answers_post(built, 0, grade="good", ynp="no", number="0")
    )

    saved = {a.item_id: AnswerValue.from_answer(a) for a in Answer.objects.all()}
    expected = sorted(
        f"q-{item.pk}"
        for item in built.items.values()
        if item.pk in saved and saved[item.pk].is_answered(item, saved=True)
    )
    assert response.json()["answered"] == expected
    assert response.json()["next_unanswered"] == f"q-{built.items['text'].pk}"
