from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.record_status import RecordStatus
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.customer_public_custom_attributes import CustomerPublicCustomAttributes





T = TypeVar("T", bound="CustomerPublic")



@_attrs_define
class CustomerPublic:
    """ A customer as the API shows it: stored fields plus the age and age band derived from them.

        Attributes:
            id (int):
            external_ref (None | str):
            username (None | str):
            name (None | str):
            email (None | str):
            phone (None | str):
            gender (None | str):
            birth_date (datetime.date | None):
            age (int | None): Whole years at today's date in the business time zone.
            age_band (None | str): under 10, 10-19, ..., 50-59, 60 and above.
            city (None | str):
            state (None | str):
            postcode (None | str):
            country (None | str):
            continent (None | str):
            city_id (int | None):
            home_store_id (int | None):
            marketing_consent (bool):
            has_sign_in (bool): Whether the customer signs in at the gateway (set by the gateway only): their username then
                changes only through their own account there.
            status (RecordStatus):
            custom_attributes (CustomerPublicCustomAttributes):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
     """

    id: int
    external_ref: None | str
    username: None | str
    name: None | str
    email: None | str
    phone: None | str
    gender: None | str
    birth_date: datetime.date | None
    age: int | None
    age_band: None | str
    city: None | str
    state: None | str
    postcode: None | str
    country: None | str
    continent: None | str
    city_id: int | None
    home_store_id: int | None
    marketing_consent: bool
    has_sign_in: bool
    status: RecordStatus
    custom_attributes: CustomerPublicCustomAttributes
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.customer_public_custom_attributes import CustomerPublicCustomAttributes # noqa: PLC0415
        id = self.id

        external_ref: None | str
        external_ref = self.external_ref

        username: None | str
        username = self.username

        name: None | str
        name = self.name

        email: None | str
        email = self.email

        phone: None | str
        phone = self.phone

        gender: None | str
        gender = self.gender

        birth_date: None | str
        if isinstance(self.birth_date, datetime.date):
            birth_date = self.birth_date.isoformat()
        else:
            birth_date = self.birth_date

        age: int | None
        age = self.age

        age_band: None | str
        age_band = self.age_band

        city: None | str
        city = self.city

        state: None | str
        state = self.state

        postcode: None | str
        postcode = self.postcode

        country: None | str
        country = self.country

        continent: None | str
        continent = self.continent

        city_id: int | None
        city_id = self.city_id

        home_store_id: int | None
        home_store_id = self.home_store_id

        marketing_consent = self.marketing_consent

        has_sign_in = self.has_sign_in

        status = self.status.value

        custom_attributes = self.custom_attributes.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "external_ref": external_ref,
            "username": username,
            "name": name,
            "email": email,
            "phone": phone,
            "gender": gender,
            "birth_date": birth_date,
            "age": age,
            "age_band": age_band,
            "city": city,
            "state": state,
            "postcode": postcode,
            "country": country,
            "continent": continent,
            "city_id": city_id,
            "home_store_id": home_store_id,
            "marketing_consent": marketing_consent,
            "has_sign_in": has_sign_in,
            "status": status,
            "custom_attributes": custom_attributes,
            "created_at": created_at,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_public_custom_attributes import CustomerPublicCustomAttributes # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_external_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_ref = _parse_external_ref(d.pop("external_ref"))


        def _parse_username(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        username = _parse_username(d.pop("username"))


        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))


        def _parse_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email = _parse_email(d.pop("email"))


        def _parse_phone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone = _parse_phone(d.pop("phone"))


        def _parse_gender(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        gender = _parse_gender(d.pop("gender"))


        def _parse_birth_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                birth_date_type_0 = datetime.date.fromisoformat(data)



                return birth_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        birth_date = _parse_birth_date(d.pop("birth_date"))


        def _parse_age(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        age = _parse_age(d.pop("age"))


        def _parse_age_band(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        age_band = _parse_age_band(d.pop("age_band"))


        def _parse_city(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        city = _parse_city(d.pop("city"))


        def _parse_state(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        state = _parse_state(d.pop("state"))


        def _parse_postcode(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        postcode = _parse_postcode(d.pop("postcode"))


        def _parse_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        country = _parse_country(d.pop("country"))


        def _parse_continent(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        continent = _parse_continent(d.pop("continent"))


        def _parse_city_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        city_id = _parse_city_id(d.pop("city_id"))


        def _parse_home_store_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        home_store_id = _parse_home_store_id(d.pop("home_store_id"))


        marketing_consent = d.pop("marketing_consent")

        has_sign_in = d.pop("has_sign_in")

        status = RecordStatus(d.pop("status"))




        custom_attributes = CustomerPublicCustomAttributes.from_dict(d.pop("custom_attributes"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        customer_public = cls(
            id=id,
            external_ref=external_ref,
            username=username,
            name=name,
            email=email,
            phone=phone,
            gender=gender,
            birth_date=birth_date,
            age=age,
            age_band=age_band,
            city=city,
            state=state,
            postcode=postcode,
            country=country,
            continent=continent,
            city_id=city_id,
            home_store_id=home_store_id,
            marketing_consent=marketing_consent,
            has_sign_in=has_sign_in,
            status=status,
            custom_attributes=custom_attributes,
            created_at=created_at,
            updated_at=updated_at,
        )


        customer_public.additional_properties = d
        return customer_public

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
