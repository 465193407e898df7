"""The one place that imports WeasyPrint.

Rendering may read only the project's own static files. Every other URL a document could
name (http, https, file, ftp, a path outside the static directories, another host) is refused
by `StaticOnlyURLFetcher`, so text typed into a briefing can never make the worker fetch
anything. Redirects cannot happen: the fetcher never opens a network connection at all.

PDFs are tagged PDF/UA-1. `pdf_ua_finisher` adds what WeasyPrint's tagging lacks: a link's
/Contents describes it (the <a>'s title or text, and where it goes: ISO 14289-1 7.18.5;
WeasyPrint writes the bare address), and a caption outside a table or figure (a quote's
<figcaption> under <figure>, which WeasyPrint tags as a stray Caption) becomes a paragraph of
a Div that groups it with its BlockQuote.
"""

import base64
import binascii
import logging
import mimetypes
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

# Page-by-page progress is noise in the worker log; refusals are logged as errors.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

import pydyf  # type: ignore[import-untyped]  # noqa: E402  (WeasyPrint's PDF writer)
from weasyprint import HTML, URLFetcher  # noqa: E402
from weasyprint.urls import URLFetcherResponse  # noqa: E402

# The base URL documents are rendered against: `/static/css/x.css` in a template resolves to
# STATIC_ORIGIN + STATIC_URL + "css/x.css", which the fetcher maps to a static file. The host
# is reserved (.invalid) so nothing else could ever answer it.
STATIC_ORIGIN = "https://auditportal.invalid"
BASE_URL = STATIC_ORIGIN + "/"

# Only images may come from data: URIs (the charts).
DATA_URI_TYPES = {"image/svg+xml", "image/png", "image/jpeg", "image/gif"}
_DATA_URI = re.compile(
    r"^data:(?P<type>[\w.+-]+/[\w.+-]+)(?P<params>(;[^,;]*)*?)(?P<b64>;base64)?,"
)


class FetchRefused(ValueError):
    """A document asked for a URL outside the project's static files."""


class StaticOnlyURLFetcher(URLFetcher):
    """Serves static files found by Django's staticfiles finders and image data: URIs; raises
    for everything else. `attempts` records every URL asked for, `refused` the ones refused."""

    def __init__(self) -> None:
        super().__init__(allow_redirects=False)
        self.attempts: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        self.attempts.append(url)
        try:
            if url.startswith("data:"):
                return self._data_uri(url)
            return self._static_file(url)
        except FetchRefused:
            self.refused.append(url)
            raise

    def open(self, url, data=None, timeout=None):  # never the network, whatever asks
        return self.fetch(url if isinstance(url, str) else url.full_url)

    def _data_uri(self, url: str) -> URLFetcherResponse:
        match = _DATA_URI.match(url)
        if not match or match["type"].lower() not in DATA_URI_TYPES:
            raise FetchRefused("only image data: URIs are allowed")
        payload = url[match.end() :]
        try:
            body = base64.b64decode(payload, validate=True) if match["b64"] else unquote(payload)
        except (binascii.Error, ValueError):
            raise FetchRefused("malformed data: URI") from None
        if isinstance(body, str):
            body = body.encode()
        return URLFetcherResponse(url, body, {"Content-Type": match["type"].lower()})

    def _static_file(self, url: str) -> URLFetcherResponse:
        prefix = STATIC_ORIGIN + settings.STATIC_URL
        parts = urlsplit(url)
        if not url.startswith(prefix) or parts.query or parts.fragment or "\\" in url:
            raise FetchRefused("only the project's static files may be fetched")
        relative = unquote(parts.path[len(settings.STATIC_URL) :])
        normalised = posixpath.normpath(relative)
        if normalised != relative or normalised.startswith(("/", "..")) or "\x00" in relative:
            raise FetchRefused("static paths must be plain relative paths")
        found = finders.find(normalised) or self._collected(normalised)
        if not found:
            raise FetchRefused("no such static file")
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(normalised)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    @staticmethod
    def _collected(relative: str) -> str | None:
        """A file collected into STATIC_ROOT (hashed names under the manifest storage)."""
        if not settings.STATIC_ROOT:
            return None
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return str(candidate)
        return None


CAPTION_PARENTS = {"/Table", "/Figure", "/L"}


def _link_description(element, target: str) -> str:
    """ "Title (kind): https://..." for <a title="Title (kind)">, "Text: https://..." for a
    worded link, "Link to https://..." for a link whose text is its address."""
    title = " ".join((element.get("title") or "").split())
    text = " ".join("".join(element.itertext()).split())
    words = title or (text if text and text != target else "")
    return f"{words}: {target}" if words else f"Link to {target}"


def _describe_links(document) -> None:
    for page in document.pages:
        for box in page._page_box.descendants():
            annotation = getattr(box, "link_annotation", None)
            if annotation is None or box.element is None:
                continue
            uri = (annotation.get("A") or {}).get("URI")
            target = uri.string if uri is not None else str(box.element.get("href") or "")
            annotation["Contents"] = pydyf.String(_link_description(box.element, target))


def _retag_stray_captions(pdf) -> None:
    elements = {
        obj.reference: obj
        for obj in pdf.objects
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem"
    }
    for element in elements.values():
        if element.get("S") != "/Caption":
            continue
        parent = elements.get(element.get("P"))
        if parent is None or parent.get("S") in CAPTION_PARENTS:
            continue
        element["S"] = "/P"
        if parent.get("S") == "/NonStruct":
            parent["S"] = "/Div"


def pdf_ua_finisher(document, pdf) -> None:
    """Run by WeasyPrint after tagging, before the file is written."""
    _describe_links(document)
    _retag_stray_captions(pdf)


@dataclass(frozen=True)
class RenderedPDF:
    content: bytes
    page_count: int


def render_pdf_document(
    html: str,
    *,
    base_url: str = BASE_URL,
    title: str,
    author: str,
    url_fetcher: StaticOnlyURLFetcher | None = None,
) -> RenderedPDF:
    """Render HTML to a tagged PDF (PDF/UA-1) with its title and author in the metadata."""
    fetcher = url_fetcher or StaticOnlyURLFetcher()
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render()
    document.metadata.title = title
    document.metadata.authors = [author]
    content = document.write_pdf(pdf_variant="pdf/ua-1", finisher=pdf_ua_finisher)
    return RenderedPDF(content=content, page_count=len(document.pages))


def render_pdf(
    html: str,
    *,
    base_url: str = BASE_URL,
    title: str,
    author: str,
    url_fetcher: StaticOnlyURLFetcher | None = None,
) -> bytes:
    return render_pdf_document(
        html, base_url=base_url, title=title, author=author, url_fetcher=url_fetcher
    ).content
