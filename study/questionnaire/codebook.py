"""The instrument, from the study file alone: a codebook (CSV) and a printable bilingual questionnaire (HTML).

Neither needs the data: ``python analysis.py STUDY.yaml --questionnaire`` writes both before a
single answer is collected, and every analysis run writes the codebook beside its report, so that
the data file's columns can always be read back to the questions.

The codebook has one row per data column the study reads: each construct item (its code, data
column, construct, wording in Chinese and English, scale and whether it is reverse-coded), each
background question with its levels, and the id, attention-check and completion-time columns; and the
columns that the analysed data (analysed_data.csv and .sav) adds: row, id, exclusion flags, construct scores.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pandas as pd

from .. import __version__
from .schema import Study, StudyError, Text

CODEBOOK_COLUMNS = ["kind", "code", "column", "construct", "construct_zh", "construct_en", "text_zh", "text_en",
                    "scale", "reverse", "levels", "missing_codes"]


def _both(text: Text | None) -> tuple[str, str]:
    return (text.zh or "", text.en or "") if text else ("", "")


def _join(*parts: str) -> str:
    return " / ".join(p for p in parts if p)


def scale_points(study: Study) -> list[dict]:
    """The scale's points: ``{code, zh, en}`` (labels empty when the study gives none)."""
    labels = study.scale.labels or {}

    def bare(label: str, code: int) -> str:
        # "1 = very low" -> "very low", "2" -> "": the code is printed beside the label already
        text = label.strip()
        for prefix in (f"{code} = ", f"{code}=", f"{code} ="):
            if text.startswith(prefix):
                text = text[len(prefix):].strip()
        return "" if text == str(code) else text

    return [{"code": study.scale.min + i,
             "zh": bare((labels.get("zh") or [""] * study.scale.points)[i], study.scale.min + i),
             "en": bare((labels.get("en") or [""] * study.scale.points)[i], study.scale.min + i)}
            for i in range(study.scale.points)]


def codebook(study: Study) -> pd.DataFrame:
    """One row per data column the study reads (see the module documentation)."""
    scale = f"{study.scale.min}-{study.scale.max}"
    points = "; ".join(f"{p['code']} = {_join(p['zh'], p['en'])}" if (p["zh"] or p["en"]) else str(p["code"])
                       for p in scale_points(study))
    answers = study.scale.answers
    if isinstance(answers, dict):
        points += "; text answers: " + "; ".join(f"{' / '.join(texts)} = {code}" for code, texts in answers.items())
    elif answers == "labels":
        points += "; the labels are also read as text answers"
    missing = ", ".join(f"{c:g}" for c in study.scale.missing_codes)
    rows = []
    for construct in study.first_order:
        c_zh, c_en = _both(construct.name)
        for item in construct.items:
            t_zh, t_en = _both(item.text)
            rows.append(dict(kind="item", code=item.code, column=item.data_column, construct=construct.code,
                             construct_zh=c_zh, construct_en=c_en, text_zh=t_zh, text_en=t_en, scale=scale,
                             reverse="yes" if item.reverse else "no", levels=points, missing_codes=missing))
    for construct in study.second_order:
        c_zh, c_en = _both(construct.name)
        rows.append(dict(kind="second-order construct", code=construct.code, construct=construct.code,
                         construct_zh=c_zh, construct_en=c_en,
                         levels="dimensions: " + ", ".join(construct.dimensions)))
    for question in study.background:
        t_zh, t_en = _both(question.text)
        levels = "; ".join(f"{level.code} = {_join(*_both(level.label))}" for level in question.levels)
        rows.append(dict(kind="background", code=question.code, column=question.data_column, text_zh=t_zh,
                         text_en=t_en, scale=question.type, levels=levels))
    if study.data.id_column:
        rows.append(dict(kind="id", code="id", column=study.data.id_column, text_en="respondent id",
                         text_zh="受访者编号"))
    for check in study.screening.attention_checks:
        expected = " or ".join(str(a) for a in check.accepted())
        rows.append(dict(kind="attention check", code=check.column, column=check.column,
                         text_en=f"attention check: expected answer {expected} ({check.action} otherwise)",
                         text_zh=f"注意力检测题：正确答案 {expected}", levels=expected))
    timing = study.screening.completion_time
    if timing:
        rows.append(dict(kind="completion time", code=timing.column, column=timing.column, scale="seconds",
                         text_en=f"seconds taken; under {timing.minimum_seconds:g} s: {timing.action}",
                         text_zh=f"作答用时（秒）；少于 {timing.minimum_seconds:g} 秒视为作答过快"))
    rows += _export_rows(study)
    frame = pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)
    return frame.fillna("")


EXPORT_COLUMNS = ("row", "id", "excluded", "exclusion_reason", "flagged", "flag_reasons")


def score_columns(study: Study) -> dict[str, str]:
    """Construct code -> the column of its score in the analysed data (analysed_data.csv/.sav): the code itself,
    unless an item or a background question already has that name (then ``<code>_score``)."""
    taken = {i.code for i in study.items} | {b.code for b in study.background} | set(EXPORT_COLUMNS)
    codes = [c.code for c in study.first_order] + [c.code for c in study.second_order]
    return {code: (code if code not in taken else f"{code}_score") for code in codes}


def _export_rows(study: Study) -> list[dict]:
    """The columns the analysed data (analysed_data.csv and .sav) adds to the items and background questions
    (named in ``column``; ``code`` stays empty, as they are no code of the study file)."""
    kind = "analysed data"
    rows = [dict(kind=kind, column="row", scale="number",
                 text_en="the respondent's line in the data file (CSV/TSV; the header is a line too), its row in "
                         "the Excel sheet, or its case number (SPSS/Stata)",
                 text_zh="受访者在数据文件中的行号（CSV/TSV，表头也计一行）、在 Excel 工作表中的行号或个案号（SPSS/Stata）")]
    if study.data.id_column:
        rows.append(dict(kind=kind, column="id", text_en=f"respondent id (column {study.data.id_column})",
                         text_zh="受访者编号"))
    rows += [dict(kind=kind, column="excluded", scale="0-1", levels="0 = analysed; 1 = excluded",
                  text_en="excluded from the analysis by screening (filter on excluded = 0 for the analysed respondents)",
                  text_zh="是否在数据筛查中被剔除（excluded = 0 为纳入分析的受访者）"),
             dict(kind=kind, column="exclusion_reason",
                  text_en="why excluded (as in excluded_respondents.csv)", text_zh="剔除原因"),
             dict(kind=kind, column="flagged", scale="0-1", levels="0 = not flagged; 1 = flagged",
                  text_en="flagged by a screening rule with action: flag, but kept", text_zh="被筛查规则标记但保留"),
             dict(kind=kind, column="flag_reasons", text_en="why flagged", text_zh="标记原因")]
    for code, column in score_columns(study).items():
        construct = study.construct(code)
        c_zh, c_en = _both(construct.name)
        items = ([i.code for i in construct.items] if construct.items else
                 [i.code for d in construct.dimensions for i in study.construct(d).items])
        rows.append(dict(kind=kind, column=column, construct=code, construct_zh=c_zh,
                         construct_en=c_en, scale=f"{study.scale.min}-{study.scale.max}",
                         text_en=f"construct score: mean of the answered items {', '.join(items)} (reverse-coded "
                                 "items recoded); the scores of the report's correlation table",
                         text_zh=f"构念得分：{', '.join(items)} 已作答题项的均值（反向题已反向计分）"))
    return rows


def write_codebook(study: Study, path: Path) -> Path:
    """Write :func:`codebook` as CSV (UTF-8 with BOM, so that Excel shows Chinese text correctly)."""
    from ..csvfiles import write_csv  # a label such as "=HYPERLINK(...)" must not become a live formula

    return write_csv(codebook(study), Path(path), encoding="utf-8-sig")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("study.questionnaire", "templates"),
                              autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_questionnaire(study: Study) -> str:
    """The questionnaire as one self-contained, printable HTML page in both languages (the study's
    language first). Construct names and reverse-coding are not shown to respondents; item codes are
    printed small beside each question for data entry."""
    first = study.meta.language
    second = "en" if first == "zh" else "zh"

    def pair(text: Text | None) -> dict:
        if text is None:
            return {"main": "", "other": ""}
        main = getattr(text, first) or getattr(text, second) or ""
        other = getattr(text, second) if getattr(text, first) else None
        return {"main": main, "other": other if other and other != main else ""}

    def bare(label: str, code: int) -> str | None:  # "3" on point 3 says nothing; "0 = very low" is "very low"
        label = label.strip()
        for prefix in (f"{code} =", f"{code}="):
            if label.startswith(prefix):
                label = label[len(prefix):].strip()
        return None if label in ("", str(code)) else label

    points = [{"code": p["code"], **pair(Text(zh=bare(p["zh"], p["code"]), en=bare(p["en"], p["code"])))}
              for p in scale_points(study)]
    blocks = []
    number = 0
    for construct in study.first_order:
        questions = []
        for item in construct.items:
            number += 1
            questions.append({"number": number, "code": item.code, **pair(item.text)})
        blocks.append(questions)
    background = []
    for question in study.background:
        number += 1
        background.append({"number": number, "code": question.code, "numeric": question.type == "numeric",
                           "levels": [{"code": level.code, **pair(level.label)} for level in question.levels],
                           **pair(question.text or Text(en=question.code))})
    words = {
        "zh": {"intro": "您好！本问卷为学术研究之用，采用匿名方式填写，答案无对错之分，所有信息仅用于统计分析并严格保密。"
                        "请根据您的真实感受，在每题最符合的选项上画“✓”。",
               "part1": "第一部分", "part2": "第二部分 基本信息", "thanks": "问卷到此结束，衷心感谢您的参与！",
               "scale": "评分", "item": "题项"},
        "en": {"intro": "Thank you for taking part. This questionnaire is for academic research; it is anonymous, "
                        "there are no right or wrong answers, and your answers are used only for statistical "
                        "analysis and kept confidential. Please tick the answer that best matches your view.",
               "part1": "Part 1", "part2": "Part 2 About you", "thanks": "This is the end of the questionnaire. "
                                                                          "Thank you very much!",
               "scale": "Rating", "item": "Statement"},
    }
    return _environment().get_template("questionnaire.html.j2").render(
        lang=first, other=second, title=pair(study.meta.title), study=study, points=points, blocks=blocks,
        author=study.meta.author.get(first) if isinstance(study.meta.author, Text) else study.meta.author,
        background=background, w=words[first], w2=words[second], version=__version__,
        source=study.path.name if study.path else "")


def write_questionnaire(study: Study, out_dir: Path) -> tuple[Path, Path]:
    """Write ``questionnaire.html`` and ``codebook.csv`` into ``out_dir``; returns both paths."""
    out_dir = Path(out_dir)
    html = out_dir / "questionnaire.html"
    try:
        html.write_text(render_questionnaire(study), encoding="utf-8")
        codes = write_codebook(study, out_dir / "codebook.csv")
    except OSError as exc:
        raise StudyError(f"{exc.filename or out_dir}: cannot write the output ({exc.strerror or exc}); "
                         "give a folder you can write to with --out DIR") from None
    return html, codes
