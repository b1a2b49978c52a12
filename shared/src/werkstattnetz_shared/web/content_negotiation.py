"""Which representation an `Accept` header asks for, where a report is offered as JSON and as CSV."""

from __future__ import annotations

CSV_MEDIA_TYPE = "text/csv"


def prefers_csv(accept: str | None) -> bool:
    """Whether the `Accept` header ranks text/csv above JSON. A named type beats a wildcard of the
    same quality (`text/csv, */*` is CSV); JSON when the header says nothing or both tie."""
    csv_quality = json_quality = wildcard_quality = 0.0
    for media_range in (accept or "").split(","):
        media_type, *parameters = (part.strip() for part in media_range.split(";"))
        quality = _quality(parameters)
        media_type = media_type.lower()
        if media_type == CSV_MEDIA_TYPE:
            csv_quality = max(csv_quality, quality)
        elif media_type == "application/json":
            json_quality = max(json_quality, quality)
        elif media_type in {"application/*", "*/*"}:
            wildcard_quality = max(wildcard_quality, quality)
    return csv_quality > 0 and csv_quality > json_quality and csv_quality >= wildcard_quality


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0
