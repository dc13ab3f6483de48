from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.import_state import ImportState
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.import_file import ImportFile
  from ..models.import_job_public_options import ImportJobPublicOptions
  from ..models.import_job_public_report import ImportJobPublicReport
  from ..models.import_progress import ImportProgress





T = TypeVar("T", bound="ImportJobPublic")



@_attrs_define
class ImportJobPublic:
    """ 
        Attributes:
            id (int):
            preset (str):
            state (ImportState):
            files (list[ImportFile]):
            options (ImportJobPublicOptions):
            progress (ImportProgress):
            report (ImportJobPublicReport): Rows accepted, created, already present (and merged), skipped and rejected (with
                row, column and reason), cleaning changes per column, detected encodings and date formats, and a profile of
                every column.
            error (None | str):
            created_at (datetime.datetime):
            started_at (datetime.datetime | None):
            finished_at (datetime.datetime | None):
     """

    id: int
    preset: str
    state: ImportState
    files: list[ImportFile]
    options: ImportJobPublicOptions
    progress: ImportProgress
    report: ImportJobPublicReport
    error: None | str
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.import_file import ImportFile # noqa: PLC0415
        from ..models.import_job_public_options import ImportJobPublicOptions # noqa: PLC0415
        from ..models.import_job_public_report import ImportJobPublicReport # noqa: PLC0415
        from ..models.import_progress import ImportProgress # noqa: PLC0415
        id = self.id

        preset = self.preset

        state = self.state.value

        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)



        options = self.options.to_dict()

        progress = self.progress.to_dict()

        report = self.report.to_dict()

        error: None | str
        error = self.error

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "preset": preset,
            "state": state,
            "files": files,
            "options": options,
            "progress": progress,
            "report": report,
            "error": error,
            "created_at": created_at,
            "started_at": started_at,
            "finished_at": finished_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.import_file import ImportFile # noqa: PLC0415
        from ..models.import_job_public_options import ImportJobPublicOptions # noqa: PLC0415
        from ..models.import_job_public_report import ImportJobPublicReport # noqa: PLC0415
        from ..models.import_progress import ImportProgress # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        preset = d.pop("preset")

        state = ImportState(d.pop("state"))




        files = []
        _files = d.pop("files")
        for files_item_data in (_files):
            files_item = ImportFile.from_dict(files_item_data)



            files.append(files_item)


        options = ImportJobPublicOptions.from_dict(d.pop("options"))




        progress = ImportProgress.from_dict(d.pop("progress"))




        report = ImportJobPublicReport.from_dict(d.pop("report"))




        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)



                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))


        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)



                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))


        import_job_public = cls(
            id=id,
            preset=preset,
            state=state,
            files=files,
            options=options,
            progress=progress,
            report=report,
            error=error,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
        )


        import_job_public.additional_properties = d
        return import_job_public

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
