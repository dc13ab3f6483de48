"""What crosses the API about imports: jobs, their progress and report, and the presets."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from services.kit.pagination import Page


class ImportState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportProgress(BaseModel):
    rows_done: int = Field(description="Rows read and settled (loaded, skipped or rejected) so far.")
    rows_total: int | None = Field(description="Rows in the uploaded files; known once the profiling pass is done.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def percent(self) -> float | None:
        if not self.rows_total:
            return None
        return round(100 * self.rows_done / self.rows_total, 1)


class ImportFile(BaseModel):
    name: str
    role: str
    size: int
    encoding: str
    bom: bool
    delimiter: str
    header: list[str]


class ImportJobPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    preset: str
    state: ImportState
    files: list[ImportFile]
    options: dict[str, Any]
    progress: ImportProgress
    report: dict[str, Any] = Field(
        description="Rows accepted, created, already present (and merged), skipped and rejected (with row, column "
        "and reason), cleaning changes per column, detected encodings and date formats, and a profile of every column."
    )
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ImportJobsPublic(Page[ImportJobPublic]):
    pass


class ImportPresetPublic(BaseModel):
    name: str
    description: str
    files: dict[str, list[str]] = Field(description="Per file role, its columns (required ones end with *).")


class ImportPresetsPublic(BaseModel):
    items: list[ImportPresetPublic]
