"""Fixtures shared by several test modules."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def default_study_results():
    """The default study run once for the whole session (200 resamples, seed 7). Results are frozen
    dataclasses: tests change them only through dataclasses.replace, on copies."""
    from study.pipeline import run_study
    from study.questionnaire import load_study

    return run_study(load_study(ROOT / "questionnaires" / "ecommerce_loyalty.yaml"), bootstrap=200, seed=7)
