from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="RewardClaims")



@_attrs_define
class RewardClaims:
    """ How much of what the customer earned they have claimed: redeemed over earned (voided ones left out).

        Attributes:
            earned (int):
            claimed (int):
            claimed_share (None | str): claimed / earned to 4 places; none before the first reward.
     """

    earned: int
    claimed: int
    claimed_share: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        earned = self.earned

        claimed = self.claimed

        claimed_share: None | str
        claimed_share = self.claimed_share


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "earned": earned,
            "claimed": claimed,
            "claimed_share": claimed_share,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        earned = d.pop("earned")

        claimed = d.pop("claimed")

        def _parse_claimed_share(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        claimed_share = _parse_claimed_share(d.pop("claimed_share"))


        reward_claims = cls(
            earned=earned,
            claimed=claimed,
            claimed_share=claimed_share,
        )


        reward_claims.additional_properties = d
        return reward_claims

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
