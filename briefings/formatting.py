"""The light formatting of briefing text: paragraphs, "- " bullet lists and **bold**.

Everything is HTML-escaped first; only then are the three markers turned into <p>, <ul><li>
and <strong>. No other markup can survive, whatever is typed.
"""

import re

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# What the text accepts, as the composer shows it at each field: (the marker typed, what it
# does). tests/briefings/test_formatting.py renders every example to prove each rule holds.
RULES: tuple[tuple[str, str], ...] = (
    ("**words**", "for bold"),
    ("- ", "at the start of a line for a bullet (indent the next line to continue it)"),
    ("", "a blank line for a new paragraph"),
)
RULES_EXAMPLES = (
    ("Ask **every** time", "<p>Ask <strong>every</strong> time</p>"),
    ("- First\n  and more\n- Second", "<ul><li>First and more</li><li>Second</li></ul>"),
    ("One\n\nTwo", "<p>One</p>\n<p>Two</p>"),
)
NOT_FORMATTED = "Anything else (HTML, links, # headings) prints exactly as typed."

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_BULLET = re.compile(r"^\s*[-•]\s+")


def _inline(escaped_line: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escaped_line)


def blocks(text: str) -> list[tuple[str, list[str]]]:
    """Split text into ("p", [lines]) and ("ul", [items]) blocks, unescaped."""
    result: list[tuple[str, list[str]]] = []
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            result.append(("gap", []))
            continue
        if _BULLET.match(line):
            item = _BULLET.sub("", line, count=1).strip()
            if result and result[-1][0] == "ul":
                result[-1][1].append(item)
            else:
                result.append(("ul", [item]))
        elif result and result[-1][0] == "ul" and line[:1].isspace():
            # An indented line continues the bullet above it.
            result[-1][1][-1] += " " + line.strip()
        elif result and result[-1][0] == "p":
            result[-1][1].append(line.strip())
        else:
            result.append(("p", [line.strip()]))
    return [(kind, lines) for kind, lines in result if kind != "gap"]


def format_text(text: str) -> SafeString:
    parts = []
    for kind, lines in blocks(text):
        if kind == "ul":
            items = "".join(f"<li>{_inline(escape(item))}</li>" for item in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{_inline(escape(' '.join(lines)))}</p>")
    # Safe: every piece of user text above went through escape() before any tag was added.
    return mark_safe("\n".join(parts))


def plain_text(text: str) -> str:
    """The words a reader sees, markers removed (for checks and searches)."""
    return _BOLD.sub(r"\1", text or "")


def rules_help() -> SafeString:
    """The rules as one line of help under a field: markers in <code>, everything escaped."""
    rules = [
        format_html("<code>{}</code> {}", marker, words) if marker else words
        for marker, words in RULES
    ]
    return format_html(
        '<span class="format-rules">Formatting: {}. {}</span>',
        format_html_join(" · ", "{}", ((rule,) for rule in rules)),
        NOT_FORMATTED,
    )
