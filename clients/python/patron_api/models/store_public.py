from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.record_status import RecordStatus
from typing import cast
import datetime






T = TypeVar("T", bound="StorePublic")



@_attrs_define
class StorePublic:
    """ 
        Attributes:
            id (int):
            external_ref (None | str):
            name (str):
            online (bool):
            country (None | str):
            state (None | str):
            square_metres (int | None):
            opened_on (datetime.date | None):
            status (RecordStatus):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
     """

    id: int
    external_ref: None | str
    name: str
    online: bool
    country: None | str
    state: None | str
    square_metres: int | None
    opened_on: datetime.date | None
    status: RecordStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        external_ref: None | str
        external_ref = self.external_ref

        name = self.name

        online = self.online

        country: None | str
        country = self.country

        state: None | str
        state = self.state

        square_metres: int | None
        square_metres = self.square_metres

        opened_on: None | str
        if isinstance(self.opened_on, datetime.date):
            opened_on = self.opened_on.isoformat()
        else:
            opened_on = self.opened_on

        status = self.status.value

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "external_ref": external_ref,
            "name": name,
            "online": online,
            "country": country,
            "state": state,
            "square_metres": square_metres,
            "opened_on": opened_on,
            "status": status,
            "created_at": created_at,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_external_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_ref = _parse_external_ref(d.pop("external_ref"))


        name = d.pop("name")

        online = d.pop("online")

        def _parse_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        country = _parse_country(d.pop("country"))


        def _parse_state(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        state = _parse_state(d.pop("state"))


        def _parse_square_metres(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        square_metres = _parse_square_metres(d.pop("square_metres"))


        def _parse_opened_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                opened_on_type_0 = datetime.date.fromisoformat(data)



                return opened_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        opened_on = _parse_opened_on(d.pop("opened_on"))


        status = RecordStatus(d.pop("status"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        store_public = cls(
            id=id,
            external_ref=external_ref,
            name=name,
            online=online,
            country=country,
            state=state,
            square_metres=square_metres,
            opened_on=opened_on,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
        )


        store_public.additional_properties = d
        return store_public

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
