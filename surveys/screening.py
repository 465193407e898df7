"""What in a free-text answer needs a careful read before it can become a quote: accepted as
written (a child's words are never refused), flagged to the business team.

- "long": over TEXT_FLAG_LIMIT characters;
- "phone": a run of 10 or more digits (spaces, dashes and brackets allowed between them);
- "email": something@something.something;
- "name": a capitalised word inside a sentence that is not a common word ("my social
  worker Sam said"), or "my name is" / "I am called". A guess: it errs on flagging.
"""

import re

from .models import TEXT_FLAG_LIMIT

FLAG_WORDS = {
    "long": "longer than a quote should be",
    "phone": "looks like it has a phone number",
    "email": "looks like it has an e-mail address",
    "name": "may have a name in it",
}

_PHONE = re.compile(r"(?:\+?\d[\s().-]*){10,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NAMED = re.compile(r"\b(?:my name is|i am called|i'm called|called)\s+[A-Za-z]", re.I)
# A capital after a lower-case letter or a comma: not the start of a sentence.
_CAPITALISED_INSIDE = re.compile(r"(?<=[a-z,;:)])\s+([A-Z][a-z]+)")
_COMMON_CAPITALS = {
    "I",
    "Im",
    "Mum",
    "Dad",
    "Nan",
    "Grandad",
    "Gran",
    "Mummy",
    "Daddy",
    "God",
    "Christmas",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "English",
    "British",
    "Ok",
    "OK",
    "Okay",
    "TV",
}


def text_flags(text: str) -> list[str]:
    text = text or ""
    flags = []
    if len(text) > TEXT_FLAG_LIMIT:
        flags.append("long")
    if _PHONE.search(text):
        flags.append("phone")
    if _EMAIL.search(text):
        flags.append("email")
    if _NAMED.search(text) or any(
        word not in _COMMON_CAPITALS for word in _CAPITALISED_INSIDE.findall(text)
    ):
        flags.append("name")
    return flags


def flag_descriptions(flags: list[str]) -> list[str]:
    return [FLAG_WORDS[flag] for flag in flags if flag in FLAG_WORDS]
