"""Download a published briefing as Word (briefings/word.py), logged like a PDF download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from . import disclosure, services
from .models import BriefingDownload
from .selectors import version_get_for_word
from .word import CONTENT_TYPE, version_docx


@login_required
@require_GET
def version_word(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_get_for_word(request.user, pk)
    content, problems = version_docx(
        version.content,
        version_label=services.version_read_label(version),
        identifiers=disclosure.identifiers_for(version.briefing.audit),
    )
    if problems:
        # Only when an identifier was added after publishing: the web page says why.
        messages.error(
            request,
            "The Word version is refused: the briefing names a child's case. " + " ".join(problems),
        )
        return redirect(version.get_read_url())
    services.version_download_record(
        version=version, actor=request.user, file_format=BriefingDownload.Format.WORD
    )
    filename = f"{slugify(version.briefing.title)[:80] or 'briefing'}-v{version.number}.docx"
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
