"""The monthly absence report as CSV: one row per participant, one column per day of the month.

A day's cell holds the absence code (E, UE, K) or stays empty (present, not recorded, not placed);
then the participant's totals. The last row adds up every participant.
"""

from __future__ import annotations

import csv
import io

from placement.domain.absence_report import AbsenceCode, AbsenceReport

CSV_EXAMPLE = (
    "participant_id,2026-11-01,2026-11-02,…,2026-11-30,E,UE,K,days_placed,days_present\r\n"
    "3f0c9a52-4c1e-4c84-9d0e-1f6f0d7b2a11,,UE,…,,0,1,0,21,20\r\n"
    "total,,,…,,0,1,0,21,20\r\n"
)

_TOTALS = ["E", "UE", "K", "days_placed", "days_present"]


def absence_report_csv(report: AbsenceReport) -> str:
    days = report.month.days
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["participant_id", *(day.isoformat() for day in days), *_TOTALS])
    for line in report.participants:
        code_on = {absence.day: absence.code.value for absence in line.absences}
        writer.writerow(
            [
                str(line.participant_id),
                *(code_on.get(day, "") for day in days),
                *(line.totals[code] for code in AbsenceCode),
                line.days_placed,
                line.days_present,
            ]
        )
    writer.writerow(
        [
            "total",
            *("" for _ in days),
            *(report.totals[code] for code in AbsenceCode),
            report.days_placed,
            report.days_present,
        ]
    )
    return out.getvalue()
