"""The disclosure check: no case pseudonym or record reference in what a briefing prints.

It reads the finished document, not the fields it was made from: the HTML that becomes the
PDF (every text, every link target, image text, the document's title and details), as a reader
sees it. Text is folded (NFKC: full-width forms, no-break spaces), invisible characters
(zero-width, soft hyphens, joiners) are dropped, and letters and digits are compared with
what separates them ignored (up to MAX_GAP characters), so "YP\u200b1", "ＹＰ１", "yp 1" and
"YP1_2025" all name YP1, while "YP10", "YP1x" and "Child Bea" do not. Any web or public
rendering of a briefing must go through `html_problems` too.

Identifiers checked: the pseudonyms of every case of the partnership and every record
reference of the partnership (a re-audit's briefing can name a child from an earlier audit).
"""

import base64
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from auditportal.text import normalise
from audits.models import Audit
from cases.models import Case, RecordReference

from .document import version_html

# At most this many separators (spaces, dashes, dots, "_", invisible characters count as
# none) may sit between two characters of an identifier as written: "CSC - 000123" names
# CSC-000123, "ChildB" names Child B; "CSC, see page 000123" does not.
MAX_GAP = 3
# Identifiers are looked up by up to this many leading characters of their skeleton.
_PREFIX = 3


@dataclass(frozen=True)
class Identifier:
    label: str  # "case pseudonym" or "record reference"
    value: str


def _fold(text: str) -> str:
    text = normalise(text).casefold()
    # Decimal digits of any script read as the digit they are.
    if not text.isascii():
        text = "".join(
            str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text
        )
    return text


def skeleton(text: str) -> tuple[str, list[int]]:
    """The letters and digits of folded `text` in order, and before each the number of other
    characters (separators) between it and the previous one."""
    chars: list[str] = []
    gaps: list[int] = []
    gap = 0
    for char in _fold(text):
        if char.isalnum():
            chars.append(char)
            gaps.append(gap)
            gap = 0
        else:
            gap += 1
    return "".join(chars), gaps


def identifiers_for(audit: Audit) -> list[Identifier]:
    """What no briefing of this audit may print: every pseudonym and record reference of
    the partnership (one partnership per deployment until multi-partnership lands; the audit
    is the hook for it)."""
    found = [
        Identifier("case pseudonym", p)
        for p in Case.objects.values_list("pseudonym", flat=True).distinct()
    ]
    # Encrypted in the column: read in Python, never filtered in SQL.
    found += [
        Identifier("record reference", reference)
        for reference in RecordReference.objects.values_list("reference", flat=True)
    ]
    return [identifier for identifier in dict.fromkeys(found) if identifier.value.strip()]


class _Index:
    """Identifiers by the first characters of their skeleton: a document is scanned once,
    whatever their number."""

    def __init__(self, identifiers: Iterable[Identifier]) -> None:
        self.by_prefix: dict[str, list[tuple[str, Identifier]]] = defaultdict(list)
        for identifier in identifiers:
            wanted, _gaps = skeleton(identifier.value)
            if wanted:
                self.by_prefix[wanted[:_PREFIX]].append((wanted, identifier))

    def find(self, text: str) -> Iterator[Identifier]:
        chars, gaps = skeleton(text)
        for i in range(len(chars)):
            # Joined to the letter or digit before it: part of another word ("xYP1").
            if i and gaps[i] == 0:
                continue
            for length in range(1, _PREFIX + 1):
                for wanted, identifier in self.by_prefix.get(chars[i : i + length], ()):
                    if self._matches_at(chars, gaps, i, wanted):
                        yield identifier

    @staticmethod
    def _matches_at(chars: str, gaps: list[int], i: int, wanted: str) -> bool:
        end = i + len(wanted)
        if not chars.startswith(wanted, i):
            return False
        if any(gaps[k] > MAX_GAP for k in range(i + 1, end)):
            return False
        # Joined to the letter or digit after it: "YP10" and "YP1x" are not YP1.
        return end == len(chars) or gaps[end] > 0


# Elements that end a run of text: an identifier is never read across them.
_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "caption", "dd", "div", "dl"),
        *("dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "head"),
        *("header", "html", "li", "main", "nav", "ol", "p", "section", "table", "tbody", "td"),
        *("tfoot", "th", "thead", "title", "tr", "ul"),
        *("svg", "g", "text", "desc"),  # the charts
    }
)
_LINK_ATTRIBUTES = ("href", "src")
_TEXT_ATTRIBUTES = ("alt", "title", "content", "aria-label")
_SVG_DATA = "data:image/svg+xml;base64,"


class _PrintedText(HTMLParser):
    """(where, text) for every run of text and every attribute a document prints or links."""

    def __init__(self, headings: dict[str, str]) -> None:
        super().__init__(convert_charrefs=True)
        self.headings = headings
        self.runs: list[tuple[str, str]] = []
        self.buffer: list[str] = []
        self.where = ["the document's details"]

    def _flush(self) -> None:
        text = "".join(self.buffer).strip()
        if text:
            self.runs.append((self.where[-1], text))
        self.buffer = []

    def _place_of(self, tag: str, attributes: dict[str, str]) -> str | None:
        if tag == "section" and attributes.get("aria-labelledby", "").startswith("point-"):
            number = attributes["aria-labelledby"].removeprefix("point-")
            return f"section {number} ({self.headings.get(number, 'untitled')})"
        if tag == "header":
            return "the masthead"
        if tag == "footer":
            return "the footer"
        if tag == "body":
            return "the page"
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag in _BLOCKS:
            self._flush()
        if tag == "br":
            self.buffer.append("\n")
        place = self._place_of(tag, attributes)
        if place:
            self.where.append(place)
        for name in _LINK_ATTRIBUTES:
            value = attributes.get(name, "")
            if value.startswith(_SVG_DATA):
                self._read_svg(value)
            elif value and not value.startswith("data:"):
                self.runs.append((f"a link in {self.where[-1]}", value))
        for name in _TEXT_ATTRIBUTES:
            if attributes.get(name):
                self.runs.append((self.where[-1], attributes[name]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._flush()
        if tag in {"section", "header", "footer", "body"} and len(self.where) > 1:
            self.where.pop()

    def handle_data(self, data: str) -> None:
        self.buffer.append(data)

    def _read_svg(self, uri: str) -> None:
        try:
            svg = base64.b64decode(uri.removeprefix(_SVG_DATA)).decode("utf-8")
        except ValueError:
            self.runs.append((f"a picture in {self.where[-1]}", uri))
            return
        inner = _PrintedText(self.headings)
        inner.feed(svg)
        inner.close()
        self.runs += [(f"a chart in {self.where[-1]}", text) for _where, text in inner.runs]

    def close(self) -> None:
        super().close()
        self._flush()


def printed_runs(html: str, *, headings: dict[str, str] | None = None) -> list[tuple[str, str]]:
    parser = _PrintedText(headings or {})
    parser.feed(html)
    parser.close()
    return parser.runs


def html_problems(
    html: str, identifiers: Iterable[Identifier], *, headings: dict[str, str] | None = None
) -> list[str]:
    """One message per identifier and place it is printed, in document order."""
    return run_problems(printed_runs(html, headings=headings), identifiers)


def run_problems(runs: Iterable[tuple[str, str]], identifiers: Iterable[Identifier]) -> list[str]:
    """The same check on texts read from any document ((where, text) in document order: the
    Word version gives its own)."""
    index = _Index(identifiers)
    problems: list[str] = []
    for where, text in runs:
        for identifier in index.find(text):
            named = f'the {identifier.label} "{identifier.value}"'
            message = f"{where[0].upper()}{where[1:]} contains {named}."
            if message not in problems:
                problems.append(message)
    return problems


def printed_problems(content: dict, identifiers: Iterable[Identifier]) -> list[str]:
    """The check on a version's snapshot, laid out exactly as its PDF is."""
    html = version_html(content, version_label="")
    headings = {str(s["number"]): s["heading"] for s in content.get("sections", [])}
    return html_problems(html, identifiers, headings=headings)
