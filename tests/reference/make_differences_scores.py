"""Writes tests/reference/differences_scores.csv, the 4- and 5-level data of the group-difference tests.

    PYTHONPATH=. python tests/reference/make_differences_scores.py

The default study's construct scores (mean of the items, reverse-coded items recoded; QUAL the mean of its
dimensions' items) of the 425 respondents it analyses, with their answers to the seven background
questions. A fixed copy: the default study's simulated data will be regenerated (issue 13), and the R
reference (make_differences_reference.R) must keep its data. Written once, from commit 8be31a3 of main.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

from study.data import load_responses
from study.questionnaire import load_study
from study.report.scores import construct_scores

study = load_study(ROOT / "questionnaires" / "ecommerce_loyalty.yaml")
data = load_responses(study)
out = construct_scores(data.items, study).round(12)
for code in ["gender", "age", "education", "income", "frequency", "tenure", "platform"]:
    out[code] = data.background[code].to_numpy()
out.to_csv(ROOT / "tests" / "reference" / "differences_scores.csv", index=False)
