"""The plain-language check shown while a question is written: short sentences and short
words read more easily, for children above all. A guide for the writer, never a refusal.

Sentences over MAX_SENTENCE_WORDS words and words of LONG_WORD_SYLLABLES syllables or more
(counted by vowel groups, a good enough guess for English) are pointed out.
"""

import re
from dataclasses import dataclass, field

MAX_SENTENCE_WORDS = {"children": 12, "parents": 20, "practitioners": 25}
LONG_WORD_SYLLABLES = 4
# Long words children meet every day: not worth a warning.
FAMILIAR = {"everybody", "everything", "everyone", "television", "information"}

_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    word = word.lower().strip("'’-")
    if len(word) <= 3:
        return 1
    if word.endswith("e") and not word.endswith(("le", "ee")):
        word = word[:-1]
    return max(1, len(_VOWEL_GROUP.findall(word)))


@dataclass
class PlainLanguageReport:
    words: int = 0
    sentences: int = 0
    long_sentences: list[str] = field(default_factory=list)
    long_words: list[str] = field(default_factory=list)
    max_words: int = 12

    @property
    def is_plain(self) -> bool:
        return not self.long_sentences and not self.long_words


def plain_language_check(text: str, *, audience: str = "children") -> PlainLanguageReport:
    report = PlainLanguageReport(max_words=MAX_SENTENCE_WORDS.get(audience, 12))
    seen: set[str] = set()
    for sentence in _SENTENCE.findall(text or ""):
        words = _WORD.findall(sentence)
        if not words:
            continue
        report.sentences += 1
        report.words += len(words)
        if len(words) > report.max_words:
            report.long_sentences.append(sentence.strip())
        for word in words:
            key = word.lower()
            if key in seen or key in FAMILIAR:
                continue
            if syllables(word) >= LONG_WORD_SYLLABLES:
                seen.add(key)
                report.long_words.append(word)
    return report
