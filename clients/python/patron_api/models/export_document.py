from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.export_document_parts import ExportDocumentParts





T = TypeVar("T", bound="ExportDocument")



@_attrs_define
class ExportDocument:
    """ Everything Patron holds about one customer, one part per service that holds it.

        Attributes:
            export_id (int):
            customer_id (int):
            generated_at (datetime.datetime):
            parts (ExportDocumentParts): Each service's part, labelled with the service.
     """

    export_id: int
    customer_id: int
    generated_at: datetime.datetime
    parts: ExportDocumentParts
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.export_document_parts import ExportDocumentParts # noqa: PLC0415
        export_id = self.export_id

        customer_id = self.customer_id

        generated_at = self.generated_at.isoformat()

        parts = self.parts.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "export_id": export_id,
            "customer_id": customer_id,
            "generated_at": generated_at,
            "parts": parts,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.export_document_parts import ExportDocumentParts # noqa: PLC0415
        d = dict(src_dict)
        export_id = d.pop("export_id")

        customer_id = d.pop("customer_id")

        generated_at = datetime.datetime.fromisoformat(d.pop("generated_at"))




        parts = ExportDocumentParts.from_dict(d.pop("parts"))




        export_document = cls(
            export_id=export_id,
            customer_id=customer_id,
            generated_at=generated_at,
            parts=parts,
        )


        export_document.additional_properties = d
        return export_document

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
