"""The two marks the report's text may carry, and their rendering.

- Citations ``[@key]`` (see :mod:`.references`): replaced by the in-text form of the document's language;
  the keys cited make the reference list.
- Statistical symbols in italics, written ``*p*``, ``*n*``, ``*SD*`` …: Latin-letter symbols are italic in
  APA and in Chinese journals alike. Only the symbols in :data:`SYMBOLS` are recognised, so a construct or an
  item text with asterisks is left as it is, and significance stars ("0.512***") never match.

:func:`resolve_document` applies both to a whole document; :func:`plain_text` gives the text for the terminal
and results.json (citations resolved, no italics).
"""

from __future__ import annotations

import re

from .document import ITALIC_END, ITALIC_START, Document, Paragraph, Section
from .references import cite_text, cited_keys, disambiguation, reference_list

SYMBOLS = ("p", "n", "N", "M", "SD", "SE", "r", "t", "F", "z", "B", "df", "d", "g", "U", "H", "W", "R", "k", "f")
# ASCII word characters only around the symbol: "Δ*F*(1, 405)" and "值*p*" are symbols too (Δ and CJK are \w in
# Python's Unicode regexes, which left their asterisks in the text)
_SYMBOL = re.compile(r"(?<![A-Za-z0-9_*])\*(" + "|".join(sorted(SYMBOLS, key=len, reverse=True)) + r")\*(?![A-Za-z0-9_*])")


def italic_symbols(text: str) -> str:
    """``*p*`` → p between italic marks."""
    return _SYMBOL.sub(lambda m: f"{ITALIC_START}{m.group(1)}{ITALIC_END}", text) if "*" in text else text


def plain_text(text: str, lang: str = "en") -> str:
    """Citations resolved, symbols without their asterisks: for the terminal and results.json."""
    return _SYMBOL.sub(r"\1", cite_text(str(text), lang, []))


_CJK = "\u4e00-\u9fff\uff08\uff09\u3001\u3002\uff0c\uff1b\uff1a"
_SPACE_AROUND_BRACKET = re.compile(rf"(?<=）) +(?=[{_CJK}])|(?<=[{_CJK}]) +(?=（)|(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")


def _cjk_bracket_spaces(text: str) -> str:
    """No space between a full-width bracket and Chinese text, nor between two Chinese characters:
    "Hu & Bentler（1999） 的" → "Hu & Bentler（1999）的" (a narrative citation written "[@!hu1999] 的" leaves one),
    "Zhao 等（2010） 与 温忠麟" → "Zhao 等（2010）与温忠麟"."""
    return _SPACE_AROUND_BRACKET.sub("", text) if " " in text else text


REFERENCES_TITLE = {"zh": "参考文献", "en": "References"}


def resolve_document(doc: Document) -> list[str]:
    """Resolve citations and symbols everywhere in ``doc`` and append the reference list as a last, unnumbered
    section; returns the cited keys in order of first use."""
    cited: list[str] = []
    doc.map_text(lambda text: (cited.extend(cited_keys(text)), text)[1] if text else text)
    suffixes = disambiguation(cited)
    used: list[str] = []
    tidy = _cjk_bracket_spaces if doc.lang == "zh" else (lambda x: x)
    doc.map_text(lambda text: tidy(italic_symbols(cite_text(text, doc.lang, used, suffixes))) if text else text)
    doc.cited = used
    if used:
        doc.sections.append(Section("references", REFERENCES_TITLE[doc.lang],
                                    [Paragraph("", kind="references", items=reference_list(used, doc.lang))],
                                    level=1, chapter=""))
    return used
