"""Writes the workbooks of the bad-input catalogue (tests/test_intake_faults.py, tests/test_run_faults.py) from
the bank data: python tests/data/intake/make_catalogue.py. The CSV faults are made in the tests themselves."""

from pathlib import Path

import openpyxl
import pandas as pd

HERE = Path(__file__).resolve().parent
BANK_DATA = HERE.parents[2] / "questionnaires" / "data" / "satisfaction.csv"


def main() -> None:
    frame = pd.read_csv(BANK_DATA, index_col=0)
    # A workbook whose first sheet is a hidden, stale copy (100 rows) and whose active sheet holds the data.
    path = HERE / "hidden_first_sheet.xlsx"
    with pd.ExcelWriter(path) as book:
        frame.iloc[:100].to_excel(book, sheet_name="old", index=False)
        frame.to_excel(book, sheet_name="answers", index=False)
    book = openpyxl.load_workbook(path)
    book["old"].sheet_state = "hidden"
    book.active = 1
    book.save(path)
    # A workbook written by a program: loy4 is a formula whose value was never calculated and saved.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(frame.columns))
    column = frame.columns.get_loc("loy4")
    for k, row in enumerate(frame.itertuples(index=False)):
        cells = list(row)
        cells[column] = f"=ROUND(AVERAGE(X{k + 2}:Z{k + 2}),0)"
        sheet.append(cells)
    book.save(HERE / "uncalculated_formulas.xlsx")


if __name__ == "__main__":
    main()
