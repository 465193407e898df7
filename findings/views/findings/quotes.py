"""An audit's engagement record (survey figures) and its quotes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from auditportal.forms import add_service_errors
from findings import selectors, services
from findings.forms import EngagementForm, QuoteForm

# ---------------------------------------------------------------------------------------------
# Engagement and quotes


@login_required
@require_http_methods(["GET", "POST"])
def engagement(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = selectors.audit_get_for_business(request.user, audit_pk)
    current = selectors.engagement_of(audit)
    initial = (
        {
            "cyp_shared": current.cyp_shared,
            "cyp_responses": current.cyp_responses,
            "parent_shared": current.parent_shared,
            "parent_responses": current.parent_responses,
            "notes": current.notes,
        }
        if current
        else {"cyp_shared": 0, "cyp_responses": 0, "parent_shared": 0, "parent_responses": 0}
    )
    form = EngagementForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_save(audit=audit, **form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Survey figures saved.")
            return redirect("findings:engagement", audit_pk=audit.pk)
    return render(
        request,
        "findings/engagement.html",
        {
            "audit": audit,
            "form": form,
            "figures": selectors.audit_engagement_figures(audit, typed=current, typed_read=True),
            "quotes": list(selectors.quotes_of_audit(audit)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def quote_create(request: HttpRequest, audit_pk: int) -> HttpResponse:
    audit = selectors.audit_get_for_business(request.user, audit_pk)
    form = QuoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.quote_create(audit=audit, **form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Quote added.")
            return redirect(reverse("findings:engagement", args=[audit.pk]) + "#quotes")
    return render(
        request, "findings/quote_form.html", {"audit": audit, "form": form, "quote": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def quote_update(request: HttpRequest, pk: int) -> HttpResponse:
    quote = selectors.quote_get_for_user(request.user, pk)
    if quote.survey_answer_id:
        # Its words are edited beside the original and approved there.
        return redirect("findings:survey-quote-review", pk=quote.survey_answer_id)
    form = QuoteForm(
        request.POST if request.method == "POST" else None,
        initial={"text": quote.text, "source_label": quote.source_label, "consent": quote.consent},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.quote_update(quote=quote, **form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Quote saved.")
            return redirect(reverse("findings:engagement", args=[quote.audit_id]) + "#quotes")
    return render(
        request, "findings/quote_form.html", {"audit": quote.audit, "form": form, "quote": quote}
    )


@login_required
@require_http_methods(["GET", "POST"])
def quote_delete(request: HttpRequest, pk: int) -> HttpResponse:
    quote = selectors.quote_get_for_user(request.user, pk)
    if request.method == "POST":
        services.quote_delete(quote=quote, actor=request.user)
        messages.success(request, "Quote deleted.")
        return redirect(reverse("findings:engagement", args=[quote.audit_id]) + "#quotes")
    return render(
        request, "findings/quote_confirm_delete.html", {"audit": quote.audit, "quote": quote}
    )


@login_required
@require_POST
def quote_move(request: HttpRequest, pk: int) -> HttpResponse:
    quote = selectors.quote_get_for_user(request.user, pk)
    try:
        services.quote_move(
            quote=quote, direction=request.POST.get("direction", ""), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("findings:engagement", args=[quote.audit_id]) + f"#quote-{quote.pk}")
