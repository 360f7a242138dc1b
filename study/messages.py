"""Messages for the user in English and Chinese.

A :class:`Message` is the English text (it is a ``str``, so logs, the terminal and results.json use it
unchanged) that also carries its Chinese text, which the Chinese report shows. A message written for the
person who runs the tool may name the data file, its rows and the study-file key to change; the report is
read by an examiner or a client and names none of them: such a message carries a second, shorter
``report`` message for the documents.
"""

from __future__ import annotations

import re


class Message(str):
    """English text with its Chinese translation attached, and optionally the form the report shows."""

    zh: str
    report: "Message | None"

    def __new__(cls, en: str, zh: str, report: "Message | None" = None) -> "Message":
        message = super().__new__(cls, en)
        message.zh = zh
        message.report = report
        return message

    def __add__(self, other):  # keep the translation when a prefix or suffix is added to both
        if isinstance(other, Message):
            report = (self.for_report() + other.for_report()
                      if self.report is not None or other.report is not None else None)
            return Message(str(self) + str(other), self.zh + other.zh, report)
        return str(self) + other

    def __reduce__(self):  # pickling (worker processes, caches) keeps the translation
        return (Message, (str(self), self.zh, self.report))

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else str(self)

    def for_report(self) -> "Message":
        """The form the documents show: without file names, row numbers and study-file keys."""
        return self.report if self.report is not None else self


def in_language(text: str, lang: str, report: bool = False) -> str:
    """The text in ``lang`` when it carries a translation, else as it is; ``report``: the documents' form."""
    if isinstance(text, Message):
        return (text.for_report() if report else text).get(lang)
    return str(text)


def joined(parts, en: str = "; ", zh: str = "；") -> Message:
    """Messages (or plain texts) joined, English with ``en`` and Chinese with ``zh`` between them."""
    return Message(en.join(str(part) for part in parts), zh.join(in_language(part, "zh") for part in parts))


def spaced(name: str) -> str:
    """A name set in Chinese text: Latin letters or digits at its ends get a space beside the Chinese."""
    return f"{' ' if name[:1].isascii() else ''}{name}{' ' if name[-1:].isascii() else ''}"


def tidy_zh(text: str) -> str:
    """No space before full-width punctuation (a Latin name's space where the Chinese text goes on)."""
    return re.sub(r" +(?=[，。；：、）])", "", text)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """English count with the right number: ``counted(1, "item")`` → "1 item", ``counted(3, "item")`` → "3 items"
    (``plural`` for irregular nouns: ``counted(2, "pair of items", "pairs of items")``)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
