"""Writes tests/reference/satisfaction.xls, the old-Excel (.xls, BIFF8) fixture of test_data_intake.py.

    pip install xlwt  # only to write the fixture; the tool reads .xls with xlrd
    python tests/reference/make_satisfaction_xls.py

Sheet "answers": the 250 rows of questionnaires/data/satisfaction.csv (the ECSI bank data of the R
packages plspm/semPLS, without R's row-name column), item answers as numbers and gender as text, plus
  duration      completion times as Excel time values (fractions of a day, formatted h:mm:ss):
                150 + (37 * i) mod 900 seconds for data row i + 1, except rows 3 (45 s) and 5 (59 s);
  loy4_entered  loy4 with two mistakes: row 7 is the text "very hihg", row 9 is 11 (off the 0-10 scale).
Sheet "notes": one line, so that the reader has a second sheet to leave alone.
"""

from pathlib import Path

import pandas as pd
import xlwt

ROOT = Path(__file__).resolve().parents[2]
frame = pd.read_csv(ROOT / "questionnaires" / "data" / "satisfaction.csv", index_col=0)
seconds = [150 + (37 * i) % 900 for i in range(len(frame))]
seconds[2], seconds[4] = 45, 59
entered = frame["loy4"].astype(object).tolist()
entered[6], entered[8] = "very hihg", 11

book = xlwt.Workbook()
sheet = book.add_sheet("answers")
clock = xlwt.easyxf(num_format_str="h:mm:ss")
header = [*frame.columns, "duration", "loy4_entered"]
for j, name in enumerate(header):
    sheet.write(0, j, name)
for i, row in enumerate(frame.itertuples(index=False), start=1):
    for j, value in enumerate(row):
        sheet.write(i, j, value.item() if hasattr(value, "item") else value)
    sheet.write(i, len(row), seconds[i - 1] / 86400, clock)
    sheet.write(i, len(row) + 1, entered[i - 1])
book.add_sheet("notes").write(0, 0, "a second sheet")
book.save(str(Path(__file__).with_name("satisfaction.xls")))
