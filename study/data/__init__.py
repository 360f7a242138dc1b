"""Stage 2: the data — from the data file to the analysed responses.

In: the :class:`~study.questionnaire.Study` and its data file. Out: :class:`SurveyData`, read by the
measurement, model and report stages. Modules: :mod:`.readers` (by format), :mod:`.answers` (answers to
codes), :mod:`.screening` (rules and reasons), :mod:`.responses` (:func:`load_responses`), :mod:`.simulate`
(survey data from a population model).

:func:`load_responses` reads the data file a study names (CSV/TSV in UTF-8 or GBK, Excel .xlsx or .xls,
SPSS .sav, Stata .dta), checks every value against the study's scale, maps text answers to their codes,
reverse-codes the negatively worded items, and screens respondents (duplicate ids, attention checks,
completion time, straight-lining, incomplete answers). It never changes the input file and never
drops, recodes or maps an answer without counting it: the result carries the analysed rows, the
excluded rows with their reason, and plain-language notes for the report.

Speed: a CSV file is read in blocks of rows by pandas' C reader, only the columns the study names.
Construct items are parsed as numbers; only a column block with text in it (text answers, stray
spaces, full-width digits) takes the text path, and then only for its non-numeric cells. The answers
are kept in one float array on which all screening is done; the description of each excluded
respondent is written only for the excluded rows.
"""

from .readers import SUPPORTED, read_table
from .responses import SurveyData, load_responses
from .screening import REASONS, REASONS_ZH, excluded_summary

__all__ = ["REASONS", "REASONS_ZH", "SUPPORTED", "SurveyData", "excluded_summary", "load_responses", "read_table"]
