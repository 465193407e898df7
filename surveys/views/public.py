"""The survey as a respondent sees it, with no sign-in: enter or scan a code, read what happens
to the answers, one question a screen with progress, check and send. The device keeps a
resume token in a cookie (not the address), so closing the page loses nothing.

Every page is rate limited per address range (surveys/ratelimit.py), never cached, and a
code that cannot be used gets a friendly page that says why, with nothing saved.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .. import answering, ratelimit
from ..codes import display, is_well_formed
from ..forms import CodeForm
from ..kinds import choices_of, words_of
from ..letters import short_address
from ..models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse

COOKIE = "survey_resume"
COOKIE_SALT = "surveys.resume"
COOKIE_DAYS = 60

REFUSALS = {
    answering.UNKNOWN: (
        "We could not find that code",
        "Check the code on your letter or message and try again. Letters that look alike, "
        "like O and 0, are never used in codes.",
    ),
    answering.USED: (
        "This code has already been used",
        "Each code can send one set of answers, and this one has. Thank you if that was you! "
        "If you were given this code and have not answered yet, ask the person who gave it to "
        "you for a new one.",
    ),
    answering.CLOSED: (
        "This survey has closed",
        "Thank you for wanting to help. This survey is no longer taking answers.",
    ),
    answering.NOT_OPEN: (
        "This survey has not started yet",
        "The survey is not open yet. Please try again later.",
    ),
}


def rate_limited(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not ratelimit.request_allowed(request) or (
            request.method == "POST" and ratelimit.bad_codes_exceeded(request)
        ):
            response = render(request, "surveys/public/busy.html", status=429)
            response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
            return response
        return view(request, *args, **kwargs)

    return wrapped


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    if reason == answering.UNKNOWN:
        ratelimit.bad_code_recorded(request)
    title, text = REFUSALS[reason]
    return render(
        request,
        "surveys/public/refused.html",
        {"title": title, "text": text, "reason": reason},
        status=404 if reason == answering.UNKNOWN else 410 if reason == answering.USED else 200,
    )


def _current(request: HttpRequest) -> SurveyResponse | None:
    token = request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT)
    return answering.response_for_token(token)


def _keep(response: HttpResponse, token: str) -> HttpResponse:
    response.set_signed_cookie(
        COOKIE,
        token,
        salt=COOKIE_SALT,
        max_age=COOKIE_DAYS * 86400,
        path="/s/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@never_cache
@rate_limited
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """The short address: type a code (or carry on the survey this device started)."""
    current = _current(request) if request.method == "GET" else None
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            started = answering.response_start(typed_code=form.cleaned_data["code"])
        except answering.CodeRefused as refusal:
            return _refused(request, refusal.reason)
        step = started.response.step if started.resumed else 0
        return _keep(redirect(_step_url(step)), started.token)
    return render(
        request,
        "surveys/public/start.html",
        {"form": form, "current": current, "short_address": short_address()},
    )


@never_cache
@rate_limited
@require_GET
def with_code(request: HttpRequest, code: str) -> HttpResponse:
    """The QR code's and the sent link's page: the code filled in, nothing started until the
    respondent presses Start (a link checker opening it uses nothing)."""
    try:
        answering.code_find(code)
    except answering.CodeRefused as refusal:
        return _refused(request, refusal.reason)
    form = CodeForm(initial={"code": display(code) if is_well_formed(code) else code})
    return render(
        request,
        "surveys/public/start.html",
        {"form": form, "current": None, "short_address": short_address(), "prefilled": True},
    )


def _step_url(step: int) -> str:
    return reverse("survey_public:answer") + (f"?step={step}" if step else "")


def _step_of(request: HttpRequest, last: int) -> int:
    try:
        step = int(request.GET.get("step") or request.POST.get("step") or 0)
    except ValueError:
        step = 0
    return max(0, min(step, last))


@never_cache
@rate_limited
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest) -> HttpResponse:
    """Step 0 says what happens to the answers; steps 1..n are the questions; n+1 checks and
    sends. Every step is saved as it is left, so the survey resumes where it was."""
    response = _current(request)
    if response is None:
        return redirect("survey_public:start")
    survey: Survey = response.survey
    questions = list(survey.questions.order_by("order", "pk"))
    last = len(questions) + 1
    step = _step_of(request, last)
    question: SurveyQuestion | None = questions[step - 1] if 1 <= step <= len(questions) else None
    error = ""
    if request.method == "POST":
        go = request.POST.get("go", "next")
        try:
            if question is not None:
                answering.answer_save(
                    response=response,
                    question=question,
                    choice=request.POST.get("choice", ""),
                    text=request.POST.get("text", ""),
                    consent={"yes": True, "no": False}.get(request.POST.get("consent", "")),
                )
            if step == last and go == "send":
                answering.response_complete(response=response)
                done = redirect("survey_public:thanks")
                done.delete_cookie(COOKIE, path="/s/")
                return done
        except answering.CodeRefused as refusal:
            return _refused(request, refusal.reason)
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
        else:
            target = max(0, step - 1) if go == "back" else min(last, step + 1)
            answering.step_save(response=response, step=target)
            return redirect(_step_url(target))
    saved = {a.question_id: a for a in SurveyAnswer.objects.filter(response=response)}
    context = {
        "survey": survey,
        "step": step,
        "last": last,
        "total": len(questions),
        "question": question,
        "choices": choices_of(question) if question else [],
        "saved": saved.get(question.pk) if question else None,
        "posted": request.POST if error else None,
        "error": error,
        "asks_consent": survey.audience != Survey.Audience.PRACTITIONERS,
        "summary": [
            (q, saved.get(q.pk), words_of(q, saved[q.pk].choice) if q.pk in saved else "")
            for q in questions
        ]
        if step == last
        else [],
    }
    return render(request, "surveys/public/answer.html", context, status=400 if error else 200)


@never_cache
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/public/thanks.html")
