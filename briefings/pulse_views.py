"""Sending the pulse after a published briefing: the links come back once, per agency."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .pulse import pulse_send
from .selectors import briefing_get_for_composer


@login_required
@never_cache
@require_POST
def pulse_send_view(request: HttpRequest, audit_pk: int) -> HttpResponse:
    briefing = briefing_get_for_composer(request.user, audit_pk)
    try:
        survey, sent = pulse_send(briefing=briefing, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("briefings:composer", audit_pk=audit_pk)
    return render(
        request,
        "briefings/pulse_links.html",
        {"briefing": briefing, "audit": briefing.audit, "survey": survey, "sent": sent},
    )
