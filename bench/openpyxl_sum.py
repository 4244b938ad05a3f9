#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""bench/openpyxl_sum.py BOOK.xlsx [COLUMN] - the peer of `gongji aggregate`
on a workbook in bench/xlsx.sh: openpyxl's read-only mode reads every cell
of the first sheet and sums one column (default: amount, found by its
header in row 1) exactly, in fen.

Prints "ROWS rows, YUAN yuan" (data rows after the header; the sum with
two decimals).  A number cell is taken as its float rounded to the fen, a
text cell as a decimal with thousands separators dropped; an empty cell
counts 0.  Run with the Debian python3 (/usr/bin/python3), which has the
python3-openpyxl package.
"""
import sys
from decimal import Decimal

import openpyxl


def main():
    if len(sys.argv) not in (2, 3):
        sys.stderr.write("usage: openpyxl_sum.py BOOK.xlsx [COLUMN]\n")
        return 2
    name = sys.argv[2] if len(sys.argv) == 3 else "amount"
    wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows)
    col = header.index(name)
    n = 0
    fen = 0
    for r in rows:
        n += 1
        v = r[col] if col < len(r) else None
        if v is None:
            continue
        if isinstance(v, (int, float)):
            fen += round(v * 100)
        else:
            fen += int(Decimal(str(v).replace(",", "")) * 100)
    wb.close()
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    print("%d rows, %s%d.%02d yuan" % (n, sign, fen // 100, fen % 100))
    return 0


if __name__ == "__main__":
    sys.exit(main())
