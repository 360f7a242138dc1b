"""Messages for the user in English and Chinese.

A :class:`Message` is the English text (it is a ``str``, so logs, the terminal and results.json use it
unchanged) that also carries its Chinese text, which the Chinese report shows.
"""

from __future__ import annotations


class Message(str):
    """English text with its Chinese translation attached."""

    zh: str

    def __new__(cls, en: str, zh: str) -> "Message":
        message = super().__new__(cls, en)
        message.zh = zh
        return message

    def __add__(self, other):  # keep the translation when a prefix or suffix is added to both
        if isinstance(other, Message):
            return Message(str(self) + str(other), self.zh + other.zh)
        return str(self) + other

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else str(self)


def in_language(text: str, lang: str) -> str:
    """The text in ``lang`` when it carries a translation, else as it is."""
    return text.get(lang) if isinstance(text, Message) else str(text)
