from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="NewFit")



@_attrs_define
class NewFit:
    """ 
        Attributes:
            calibration_end (datetime.date | None | Unset): Fit on purchases on or before this day (default: today, business
                time zone).
            unit_days (int | Unset): The time unit in days (7: weeks). Default: 7.
     """

    calibration_end: datetime.date | None | Unset = UNSET
    unit_days: int | Unset = 7





    def to_dict(self) -> dict[str, Any]:
        calibration_end: None | str | Unset
        if isinstance(self.calibration_end, Unset):
            calibration_end = UNSET
        elif isinstance(self.calibration_end, datetime.date):
            calibration_end = self.calibration_end.isoformat()
        else:
            calibration_end = self.calibration_end

        unit_days = self.unit_days


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if calibration_end is not UNSET:
            field_dict["calibration_end"] = calibration_end
        if unit_days is not UNSET:
            field_dict["unit_days"] = unit_days

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_calibration_end(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                calibration_end_type_0 = datetime.date.fromisoformat(data)



                return calibration_end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        calibration_end = _parse_calibration_end(d.pop("calibration_end", UNSET))


        unit_days = d.pop("unit_days", UNSET)

        new_fit = cls(
            calibration_end=calibration_end,
            unit_days=unit_days,
        )

        return new_fit

