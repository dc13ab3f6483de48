from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.customer_data_part_tables import CustomerDataPartTables





T = TypeVar("T", bound="CustomerDataPart")



@_attrs_define
class CustomerDataPart:
    """ One service's part of a customer's export.

        Attributes:
            service (str):
            customer_id (int):
            tables (CustomerDataPartTables): Each table of the service naming the customer, with its rows about them (no
                secrets).
            erasure_applied (bool | None | Unset): Whether the service has applied the erasure event asked about; null when
                none was.
     """

    service: str
    customer_id: int
    tables: CustomerDataPartTables
    erasure_applied: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.customer_data_part_tables import CustomerDataPartTables # noqa: PLC0415
        service = self.service

        customer_id = self.customer_id

        tables = self.tables.to_dict()

        erasure_applied: bool | None | Unset
        if isinstance(self.erasure_applied, Unset):
            erasure_applied = UNSET
        else:
            erasure_applied = self.erasure_applied


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "service": service,
            "customer_id": customer_id,
            "tables": tables,
        })
        if erasure_applied is not UNSET:
            field_dict["erasure_applied"] = erasure_applied

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_data_part_tables import CustomerDataPartTables # noqa: PLC0415
        d = dict(src_dict)
        service = d.pop("service")

        customer_id = d.pop("customer_id")

        tables = CustomerDataPartTables.from_dict(d.pop("tables"))




        def _parse_erasure_applied(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        erasure_applied = _parse_erasure_applied(d.pop("erasure_applied", UNSET))


        customer_data_part = cls(
            service=service,
            customer_id=customer_id,
            tables=tables,
            erasure_applied=erasure_applied,
        )


        customer_data_part.additional_properties = d
        return customer_data_part

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
