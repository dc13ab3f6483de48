from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.request_kind import RequestKind
from ..models.request_state import RequestState
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="PrivacyRequestPublic")



@_attrs_define
class PrivacyRequestPublic:
    """ One export or erasure: who asked (a principal's id, never a name), when, for which customer, the outcome.

        Attributes:
            id (int):
            kind (RequestKind):
            customer_id (int):
            requested_by (str): Who asked: `staff:<id>`, `customer:<id>`, `key:<id>` or a service.
            state (RequestState):
            requested_at (datetime.datetime):
            finished_at (datetime.datetime | None):
            outcome (None | str | Unset): Why it failed, when it did (no personal data).
     """

    id: int
    kind: RequestKind
    customer_id: int
    requested_by: str
    state: RequestState
    requested_at: datetime.datetime
    finished_at: datetime.datetime | None
    outcome: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        customer_id = self.customer_id

        requested_by = self.requested_by

        state = self.state.value

        requested_at = self.requested_at.isoformat()

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        outcome: None | str | Unset
        if isinstance(self.outcome, Unset):
            outcome = UNSET
        else:
            outcome = self.outcome


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "kind": kind,
            "customer_id": customer_id,
            "requested_by": requested_by,
            "state": state,
            "requested_at": requested_at,
            "finished_at": finished_at,
        })
        if outcome is not UNSET:
            field_dict["outcome"] = outcome

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = RequestKind(d.pop("kind"))




        customer_id = d.pop("customer_id")

        requested_by = d.pop("requested_by")

        state = RequestState(d.pop("state"))




        requested_at = datetime.datetime.fromisoformat(d.pop("requested_at"))




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


        def _parse_outcome(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        outcome = _parse_outcome(d.pop("outcome", UNSET))


        privacy_request_public = cls(
            id=id,
            kind=kind,
            customer_id=customer_id,
            requested_by=requested_by,
            state=state,
            requested_at=requested_at,
            finished_at=finished_at,
            outcome=outcome,
        )


        privacy_request_public.additional_properties = d
        return privacy_request_public

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
