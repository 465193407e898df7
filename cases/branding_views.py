"""The partnership's colour on its pages: a small stylesheet per partnership (the Content
Security Policy allows no inline style), linked from every page of a partnership's address."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def partnership_css(request: HttpRequest) -> HttpResponse:
    partnership = getattr(request, "partnership", None)
    if partnership is None:
        raise Http404
    # brand_colour is validated as #rrggbb on the model: nothing else reaches the stylesheet.
    body = f":root {{ --ap-navy: {partnership.brand_colour}; }}\n"
    response = HttpResponse(body, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
