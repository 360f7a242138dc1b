"""What every part of the study file's schema shares: the error a user's input raises, the strict base model
(unknown keys are errors), bilingual text, and limits.
"""

from __future__ import annotations

import re

from pydantic import (BaseModel, ConfigDict, field_validator)


MAX_BOOTSTRAP = 100_000  # resamples; more is no more precise in practice, and could exhaust memory


class StudyError(Exception):
    """A problem with the user's input (study file or data) that stops the run.

    The message is meant for the user: it names the file, key, row or column and what to do.
    """


class _Strict(BaseModel):
    # Unknown keys are errors: a typo such as ``revers: true`` must not be silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


_CJK_GAP = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f])\s+(?=[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f])")


class Text(_Strict):
    """A text in Chinese and English; either may be missing, the other is used instead."""

    zh: str | None = None
    en: str | None = None

    @field_validator("zh")
    @classmethod
    def _no_spaces_in_chinese(cls, value: str | None) -> str | None:
        # A folded YAML block (">") joins its lines with a space, which Chinese does not use
        return None if value is None else _CJK_GAP.sub("", value)

    def get(self, lang: str) -> str:
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first or second or ""
