"""Class datasets (study.data.classroom): one file per student, and an answer key that is right."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from study.data import load_responses
from study.data.classroom import student_seeds, write_class_datasets
from study.data.simulate import main
from study.model.estimate import fit_model
from study.model.syntax import sem_syntax
from study.questionnaire import StudyError, load_study

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests/reference/power_study.yaml"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return write_class_datasets(load_study(SMALL), 3, tmp_path_factory.mktemp("class"))


def test_one_file_per_student_each_its_own_sample(written):
    assert [f.name for f in written.files] == ["student_01.csv", "student_02.csv", "student_03.csv"]
    frames = [pd.read_csv(f) for f in written.files]
    assert all(len(f) == 300 for f in frames)  # data.population.n
    assert not frames[0].equals(frames[1]) and not frames[1].equals(frames[2])
    assert len(set(written.seeds)) == 3


def test_the_key_holds_the_truth_and_each_files_estimates(written):
    key = written.key.set_index(["quantity", "parameter"])
    assert list(key.columns) == ["true", "student_01", "student_02", "student_03"]
    assert key.loc[("path", "H1 QUAL->SAT"), "true"] == pytest.approx(0.50)
    assert key.loc[("indirect", "H7 QUAL->SAT->TRUST->LOY"), "true"] == pytest.approx(0.5 * 0.4 * 0.25)
    assert key.loc[("reliability", "QUAL CR"), "true"] == pytest.approx(2.15**2 / (2.15**2 + 3 - 0.64 - 0.49 - 0.4225))
    # the key's estimates are what an analysis of the file gives
    study = load_study(SMALL)
    data = load_responses(study, written.files[1])
    paths = fit_model(sem_syntax(study), data.items).paths().set_index(["rhs", "lhs"])["std_all"]
    assert key.loc[("path", "H3 SAT->TRUST"), "student_02"] == pytest.approx(paths[("SAT", "TRUST")], abs=1e-12)
    assert key.loc[("indirect", "H6 QUAL->SAT->LOY"), "student_02"] == pytest.approx(
        paths[("QUAL", "SAT")] * paths[("SAT", "LOY")], abs=1e-12)
    assert key.loc[("n", "analysed"), "student_02"] == data.n_analysed
    assert (key.loc[("fit", "proper")].drop("true") == 1).all()
    # and they scatter around the truth (SE of a standardized path here is about 0.06)
    estimates = key.loc["path"].drop(columns="true")
    assert np.abs(estimates.sub(key.loc["path", "true"], axis=0)).to_numpy().max() < 0.3


def test_the_json_key_has_the_seeds_and_p_values(written):
    data = json.loads(written.key_json.read_text(encoding="utf-8"))
    assert [f["seed"] for f in data["files"]] == written.seeds
    h1 = [r for r in data["estimates"] if r["parameter"] == "H1 QUAL->SAT"]
    assert len(h1) == 3 and all(r["p"] < 0.05 for r in h1)


def test_adding_students_keeps_the_first_files(tmp_path):
    assert student_seeds(5, 2) == student_seeds(5, 4)[:2]
    two = write_class_datasets(load_study(SMALL), 2, tmp_path / "two", seed=5)
    four = write_class_datasets(load_study(SMALL), 4, tmp_path / "four", seed=5)
    assert two.files[1].read_bytes() == four.files[1].read_bytes()


def test_command_line(tmp_path, capsys):
    assert main([str(SMALL), "--students", "2", "--out", str(tmp_path / "cls")]) == 0
    out = capsys.readouterr().out
    assert "wrote 2 data files" in out and "answer key" in out and "H1 QUAL->SAT: true 0.50" in out
    assert (tmp_path / "cls" / "answer_key.csv").exists()


def test_no_population_and_bad_counts_are_clear_messages(tmp_path, capsys):
    assert main([str(ROOT / "questionnaires/bank_satisfaction.yaml"), "--students", "2",
                 "--out", str(tmp_path)]) == 2
    assert "data.population is missing" in capsys.readouterr().err
    with pytest.raises(StudyError, match="between 1 and 1000 students"):
        write_class_datasets(load_study(SMALL), 0, tmp_path)
