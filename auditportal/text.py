"""Text helpers shared by the checks that must see text as a reader (or a spreadsheet) does:
the disclosure check, formula neutralisation and single-line fields."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Default-ignorable characters outside category Cf: the combining grapheme joiner, Hangul
# fillers, Khmer inherent vowels and variation selectors. They print as nothing.
_IGNORABLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


def is_invisible(char: str) -> bool:
    """Format characters (Unicode category Cf: zero-width space and joiners, the word joiner,
    the soft hyphen, the byte-order mark, bidirectional marks) and the other characters that
    print as nothing. Text pasted from Word carries them; nobody sees them, so no check may be
    fooled by them."""
    return char in _IGNORABLE or unicodedata.category(char) == "Cf"


def strip_invisible(text: str) -> str:
    return "".join(char for char in text if not is_invisible(char))


def normalise(text: str) -> str:
    """The text as a reader sees it: compatibility forms folded (NFKC: full-width letters and
    signs, ligatures, non-breaking spaces) and invisible characters removed."""
    return strip_invisible(unicodedata.normalize("NFKC", text))


def lstrip_unseen(text: str) -> str:
    """`text` without what a spreadsheet skips before it reads the first character:
    whitespace of any kind and invisible characters, after NFKC folding."""
    text = unicodedata.normalize("NFKC", text)
    index = 0
    while index < len(text) and (text[index].isspace() or is_invisible(text[index])):
        index += 1
    return text[index:]


# What stays of the control characters (Unicode category Cc) in text written for another
# program: the tab and the line feed, which every text format can carry (escaped where needed).
_KEPT_CONTROLS = frozenset("\t\n")


def strip_control_characters(text: str) -> str:
    """`text` without control characters: C0 (but tab and line feed), DEL and C1. A calendar
    feed's TEXT may not hold them (RFC 5545 3.3.11), a terminal obeys an escape sequence, and
    some parsers end a line at U+0085; nobody typing a title meant one. A lone CR goes too."""
    return "".join(
        char for char in text if char in _KEPT_CONTROLS or unicodedata.category(char) != "Cc"
    )


# Characters that end a line for some mail or header parser: CR, LF and their Unicode
# relatives (next line, line and paragraph separators, vertical tab, form feed).
LINE_BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def has_line_break(text: str) -> bool:
    return any(char in LINE_BREAKS for char in text)


def one_line(text: str) -> str:
    """`text` on one line: every run of whitespace (line breaks included) becomes one space.
    For e-mail subjects and headers, whatever a stored value holds."""
    return " ".join(text.split())


@deconstructible
class SingleLineValidator:
    """Refuses a value with a line break: titles and names end up in e-mail subjects."""

    message = "Write this on one line (no line breaks)."
    code = "single_line"

    def __call__(self, value: str) -> None:
        if isinstance(value, str) and has_line_break(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SingleLineValidator)

    def __hash__(self) -> int:
        return hash(self.code)


validate_single_line = SingleLineValidator()
