"""The live figures as CSV: one row for the total, then one per year, work area and funder."""

from __future__ import annotations

import csv
import io
from dataclasses import fields

from outcomes_live.domain.figures import Breakdown, Figures

FIGURE_COLUMNS = tuple(field.name for field in fields(Figures))

CSV_EXAMPLE = (
    "dimension,value," + ",".join(FIGURE_COLUMNS) + "\r\n"
    "total,,120,80,61,12,40,24,0.6,20,0.5,16,12,0.75,23.4,181.0\r\n"
    "year,2026,120,80,61,12,40,24,0.6,20,0.5,16,12,0.75,23.4,181.0\r\n"
)


def figures_csv(breakdown: Breakdown) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["dimension", "value", *FIGURE_COLUMNS])
    writer.writerow(["total", "", *_cells(breakdown.total)])
    for year, figures in breakdown.by_year.items():
        writer.writerow(["year", year, *_cells(figures)])
    for area, figures in breakdown.by_work_area.items():
        writer.writerow(["work_area", area, *_cells(figures)])
    for funder, figures in breakdown.by_funder.items():
        writer.writerow(["funder", funder, *_cells(figures)])
    return out.getvalue()


def _cells(figures: Figures) -> list[object]:
    # An empty cell stands for "nothing to divide" (or referrals asked of a funder), as null in JSON.
    return ["" if (value := getattr(figures, name)) is None else value for name in FIGURE_COLUMNS]
