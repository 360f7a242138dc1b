"""Stage 1: the questionnaire — the study file and what is made from it before any data is read.

In: a YAML study file (scale, constructs and items, background questions, screening rules, model).
Out: a frozen :class:`Study` (:mod:`.schema`), read by every later stage; the codebook and the printable
bilingual questionnaire (:mod:`.codebook`). :func:`load_study` (:mod:`.load`) reports every problem with
the file, the key path and the line.
"""

from .load import load_study, study_json_schema
from .schema import (BackgroundQuestion, Construct, Hypothesis, Item, Level, Mediation, ModelSpec, PLSOptions, Population,
                     Scale, Study, StudyError, Text, normalize_answer)

__all__ = ["BackgroundQuestion", "Construct", "Hypothesis", "Item", "Level", "Mediation", "ModelSpec", "PLSOptions",
           "Population", "Scale", "Study", "StudyError", "Text", "load_study", "normalize_answer",
           "study_json_schema"]
