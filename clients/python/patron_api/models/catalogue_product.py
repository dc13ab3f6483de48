from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.product_reward import ProductReward





T = TypeVar("T", bound="CatalogueProduct")



@_attrs_define
class CatalogueProduct:
    """ 
        Attributes:
            id (int):
            sku (str):
            name (str):
            brand (None | str):
            category (None | str):
            currency (str):
            unit_price (str):
            reward (None | ProductReward):
     """

    id: int
    sku: str
    name: str
    brand: None | str
    category: None | str
    currency: str
    unit_price: str
    reward: None | ProductReward
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.product_reward import ProductReward # noqa: PLC0415
        id = self.id

        sku = self.sku

        name = self.name

        brand: None | str
        brand = self.brand

        category: None | str
        category = self.category

        currency = self.currency

        unit_price = self.unit_price

        reward: dict[str, Any] | None
        if isinstance(self.reward, ProductReward):
            reward = self.reward.to_dict()
        else:
            reward = self.reward


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "sku": sku,
            "name": name,
            "brand": brand,
            "category": category,
            "currency": currency,
            "unit_price": unit_price,
            "reward": reward,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.product_reward import ProductReward # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        sku = d.pop("sku")

        name = d.pop("name")

        def _parse_brand(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        brand = _parse_brand(d.pop("brand"))


        def _parse_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category = _parse_category(d.pop("category"))


        currency = d.pop("currency")

        unit_price = d.pop("unit_price")

        def _parse_reward(data: object) -> None | ProductReward:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reward_type_0 = ProductReward.from_dict(data)



                return reward_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProductReward, data)

        reward = _parse_reward(d.pop("reward"))


        catalogue_product = cls(
            id=id,
            sku=sku,
            name=name,
            brand=brand,
            category=category,
            currency=currency,
            unit_price=unit_price,
            reward=reward,
        )


        catalogue_product.additional_properties = d
        return catalogue_product

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
