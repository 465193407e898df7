"""The survey page as a respondent uses it, through the test client: no sign-in, a cookie to
resume, one question a screen, friendly pages for codes that cannot be used, a rate limit."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from surveys import ratelimit
from surveys.models import SurveyAnswer, SurveyResponse
from surveys.views.public import COOKIE

from .factories import answer_all, open_survey

START = "/s/"
ANSWER = "/s/answer/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _start(client: Client, code: str):
    return client.post(START, {"code": code})


def test_short_address_is_slash_s():
    assert reverse("survey_public:start") == START


def test_a_code_starts_the_survey_with_a_cookie_and_what_happens_to_the_answers(db):
    opened = open_survey(codes=1)
    client = Client()

    response = _start(client, opened.codes[0])
    intro = client.get(ANSWER)

    assert response.status_code == 302
    assert response["Location"] == ANSWER
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/s/" and cookie["samesite"] == "Lax"
    assert opened.codes[0] not in cookie.value
    assert "What happens to your answers" in intro.content.decode()
    assert "do not keep your internet address" in intro.content.decode()
    assert intro["Cache-Control"].startswith("max-age=0")


def test_one_question_a_screen_with_progress_and_back(db):
    opened = open_survey(codes=1)
    client = Client()
    _start(client, opened.codes[0])

    client.post(ANSWER, {"step": 0, "go": "next"})
    first = client.get(ANSWER + "?step=1").content.decode()
    moved = client.post(ANSWER, {"step": 1, "go": "next", "choice": "3"})
    back = client.post(ANSWER, {"step": 2, "go": "back", "choice": "yes"})

    assert "Question 1 of 4" in first
    assert '<progress class="survey-progress" max="4" value="1"' in first
    assert "How do you feel about the help you get?" in first
    assert moved["Location"] == ANSWER + "?step=2"
    assert back["Location"] == ANSWER + "?step=1"
    assert sorted(SurveyAnswer.objects.values_list("choice", flat=True)) == ["3", "yes"]


def test_closing_the_page_and_coming_back_resumes_where_it_was(db):
    opened = open_survey(codes=1)
    client = Client()
    _start(client, opened.codes[0])
    client.post(ANSWER, {"step": 1, "go": "next", "choice": "2"})

    home = client.get(START).content.decode()
    again = client.get(ANSWER + "?step=1").content.decode()

    assert "Carry on where you left off" in home
    assert 'href="/s/answer/?step=2"' in home
    assert 'value="2" id="choice-2" checked' in again


def test_free_text_asks_consent_to_quote_and_the_answers_are_sent(db):
    opened = open_survey(codes=1)
    client = Client()
    _start(client, opened.codes[0])

    page = client.get(ANSWER + "?step=4").content.decode()
    client.post(ANSWER, {"step": 4, "go": "next", "text": "More time to talk.", "consent": "yes"})
    check = client.get(ANSWER + "?step=5").content.decode()
    sent = client.post(ANSWER, {"step": 5, "go": "send"})

    assert "Can we use your words without your name?" in page
    assert "More time to talk." in check
    assert "You said we can use your words without your name." in check
    assert sent["Location"] == reverse("survey_public:thanks")
    assert sent.cookies[COOKIE].value == ""
    response = SurveyResponse.objects.get()
    assert response.is_complete
    assert response.answers.get().quote_consent is True


@pytest.mark.parametrize("code", ["NOT-A-CODE", "ABCD-EFGH-JKMN"])
def test_unknown_code_gets_a_friendly_page_and_nothing_is_saved(db, code):
    open_survey(codes=1)

    response = _start(Client(), code)

    assert response.status_code == 404
    assert "We could not find that code" in response.content.decode()
    assert "Nothing was saved." in response.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_used_code_gets_a_friendly_page(db):
    opened = open_survey(codes=1)
    answer_all(opened.survey, opened.codes[0])

    response = _start(Client(), opened.codes[0])

    assert response.status_code == 410
    assert "This code has already been used" in response.content.decode()


def test_closed_survey_gets_a_friendly_page_even_mid_survey(db, business):
    from surveys import services

    opened = open_survey(codes=1)
    client = Client()
    _start(client, opened.codes[0])
    services.survey_close(survey=opened.survey, actor=business)

    typed = _start(Client(), opened.codes[0])
    resumed = client.post(ANSWER, {"step": 1, "go": "next", "choice": "1"})

    assert "This survey has closed" in typed.content.decode()
    assert resumed.status_code == 302 and resumed["Location"] == START
    assert SurveyAnswer.objects.count() == 0


def test_the_link_on_a_letter_fills_the_code_in_and_starts_nothing(db):
    opened = open_survey(codes=1)

    page = Client().get(f"/s/{opened.codes[0]}/")

    assert page.status_code == 200
    assert opened.codes[0][:4] in page.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_guessing_codes_from_one_address_range_is_stopped_without_storing_it(db, monkeypatch):
    monkeypatch.setattr(ratelimit, "MAX_BAD_CODES", 3)
    opened = open_survey(codes=1)
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    neighbour = Client(REMOTE_ADDR="203.0.113.200")
    elsewhere = Client(REMOTE_ADDR="198.51.100.4")

    statuses = [_start(guesser, "ABCD-EFGH-JKMN").status_code for _ in range(4)]
    blocked = _start(neighbour, opened.codes[0])
    allowed = _start(elsewhere, opened.codes[0])

    assert statuses == [404, 404, 404, 429]
    assert blocked.status_code == 429 and blocked["Retry-After"] == "600"
    assert allowed.status_code == 302
    keys = list(cache._cache.keys())  # locmem: what the cache holds
    assert keys and not any("203.0.113" in k or "198.51" in k for k in keys)


def test_address_ranges():
    assert ratelimit.address_range("203.0.113.7") == "203.0.113.0/24"
    assert ratelimit.address_range("2001:db8:1:2::5") == "2001:db8:1::/48"
    assert ratelimit.address_range("nonsense") == "unknown"
