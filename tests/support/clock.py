"""The services' idea of today: their default `TIMEZONE` (Europe/Berlin), not the test machine's.

Between 22:00/23:00 and midnight UTC the two differ by a day; a test that computes its dates with
`date.today()` then disagrees with the service it checks.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SERVICE_TIMEZONE = ZoneInfo("Europe/Berlin")


def service_today() -> dt.date:
    return dt.datetime.now(SERVICE_TIMEZONE).date()
