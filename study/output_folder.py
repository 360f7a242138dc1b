"""Writing a run's files into the output folder all at once, or not at all.

A run writes its files (report.html, report.docx, tables.xlsx, results.json, the CSV files, the analysed
data) into a hidden temporary folder inside the output folder, and moves them into place only when every
one of them was written. A run that fails leaves the previous report as it was (never a new report.html
beside an old report.docx), and a run that succeeds says which previous files it replaced. No output may
be one of the run's inputs (``--data OUT/codebook.csv --out OUT`` would overwrite the data with the
codebook): such a run stops before anything is written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from .questionnaire import StudyError


class OutputFolder:
    """The output folder of one run (see the module documentation).

    Parameters
    ----------
    folder : Path
        Where the files go (created if needed).
    names : list of str
        The names of the files the run will write into it.
    inputs : dict of str to Path
        The run's input files, by what they are ("the study file", "the data file", "the logo").
    extra : dict of str to Path, optional
        Files written elsewhere (``--export-data FILE``), by name: checked against the inputs too.
    """

    def __init__(self, folder: Path, names: list[str], inputs: dict[str, Path | None],
                 extra: dict[str, Path] | None = None):
        self.folder = Path(folder)
        self.names = list(names)
        self.extra = dict(extra or {})
        targets = {name: self.folder / name for name in self.names} | self.extra
        for what, source in inputs.items():
            if source is None:
                continue
            for name, target in targets.items():
                if _same(target, source):
                    option = "--export-data" if name in self.extra else "--out"
                    raise StudyError(
                        f"{target}: this output would overwrite {what} ({source}); give another {option} "
                        f"{'file' if option == '--export-data' else 'folder'}, or move {what} out of the way")
        if self.folder.exists() and not self.folder.is_dir():
            raise StudyError(f"{self.folder}: --out must be a folder, but this is a file; give another path")
        self._created = not self.folder.exists()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=self.folder))
        except OSError as exc:
            raise StudyError(f"{self.folder}: cannot create the output folder ({exc.strerror or exc}); "
                             "give a folder you can write to with --out DIR") from None

    def path(self, name: str) -> Path:
        """Where to write ``name`` now (inside the temporary folder)."""
        return self.staging / name

    def commit(self) -> tuple[list[Path], list[str], str | None]:
        """Move every file into place; returns (the paths written, the names of previous files replaced, when
        the previous report was written)."""
        replaced = [n for n in [*self.names, *self.extra] if (self.folder / n).exists() or
                    (n in self.extra and self.extra[n].exists())]
        previous = self.folder / "report.html"
        when = (datetime.fromtimestamp(previous.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
                if previous.exists() else None)
        for target in [*(self.folder / n for n in self.names), *self.extra.values()]:
            if target.is_dir():  # found before anything is moved: the previous files stay as they were
                raise StudyError(f"{target}: a folder of this name stands where the output goes; rename or remove "
                                 "it, or give another --out folder")
        written = []
        try:
            for name in self.names:
                os.replace(self.staging / name, self.folder / name)
                written.append(self.folder / name)
            for name, target in self.extra.items():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(self.staging / name), str(target))
                written.append(target)
        except OSError as exc:
            raise StudyError(f"{exc.filename or self.folder}: cannot write the output ({exc.strerror or exc}); "
                             "give a folder you can write to with --out DIR") from None
        finally:
            self.discard()
        return written, replaced, when

    def discard(self) -> None:
        """Remove the temporary folder (and the output folder, if this run created it and it stayed empty)."""
        shutil.rmtree(self.staging, ignore_errors=True)
        if self._created:
            try:
                self.folder.rmdir()
            except OSError:
                pass  # not empty: files were moved into it


def _same(target: Path, source: Path) -> bool:
    try:
        if target.exists() and Path(source).exists():
            return os.path.samefile(target, source)
        return target.resolve() == Path(source).resolve()
    except OSError:
        return False
