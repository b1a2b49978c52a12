"""The figures as the API shows them (explicitly mapped from the domain's figures)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from outcomes_live.domain.figures import Breakdown, FigureQuery, Figures


class FiguresView(BaseModel):
    referred: int | None = Field(description="Referrals received; null when a funder is asked for.")
    enrolled: int = Field(description="Stays enrolled (each enrolment of a re-entry counts).")
    placed: int = Field(description="Stays placed in a workshop at least once (transfers not again).")
    waiting: int = Field(description="Stays on a waitlist now (not placed since, not exited).")
    exited: int
    integrated: int = Field(description="Exits into apprenticeship, employment or therapy (programme view).")
    integration_rate: float | None
    jobcenter_integrated: int = Field(description="Exits into apprenticeship or employment (Jobcenter view).")
    jobcenter_integration_rate: float | None
    followed_up: int = Field(description="Integrated exits with a recorded six-month follow-up.")
    retained: int = Field(description="Of those: still in training or still employed.")
    retention_rate: float | None
    average_waiting_days: float | None = Field(description="Enrolment to first placement, in days.")
    average_days_to_exit: float | None = Field(description="Enrolment to exit, in days.")

    @classmethod
    def of(cls, figures: Figures) -> FiguresView:
        return cls(**figures.__dict__)


class FilterView(BaseModel):
    year: int | None
    work_area: str | None
    funder: str | None


class LiveFiguresView(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "filters": {"year": 2026, "work_area": None, "funder": "jobcenter"},
                "total": {
                    "referred": None,
                    "enrolled": 40,
                    "placed": 31,
                    "waiting": 9,
                    "exited": 20,
                    "integrated": 12,
                    "integration_rate": 0.6,
                    "jobcenter_integrated": 10,
                    "jobcenter_integration_rate": 0.5,
                    "followed_up": 8,
                    "retained": 6,
                    "retention_rate": 0.75,
                    "average_waiting_days": 23.4,
                    "average_days_to_exit": 181.0,
                },
                "by_year": {},
                "by_work_area": {},
                "by_funder": {},
            }
        }
    )

    filters: FilterView
    total: FiguresView
    by_year: dict[str, FiguresView] = Field(description="Within the filters, per year that counts anything.")
    by_work_area: dict[str, FiguresView] = Field(
        description="Within the filters, per work area (`none`: no area)."
    )
    by_funder: dict[str, FiguresView] = Field(
        description="Within the filters; co-funded stays count for each funder."
    )

    @classmethod
    def of(cls, query: FigureQuery, breakdown: Breakdown) -> LiveFiguresView:
        return cls(
            filters=FilterView(year=query.year, work_area=query.work_area, funder=query.funder),
            total=FiguresView.of(breakdown.total),
            by_year={str(year): FiguresView.of(figures) for year, figures in breakdown.by_year.items()},
            by_work_area={area: FiguresView.of(figures) for area, figures in breakdown.by_work_area.items()},
            by_funder={funder: FiguresView.of(figures) for funder, figures in breakdown.by_funder.items()},
        )
