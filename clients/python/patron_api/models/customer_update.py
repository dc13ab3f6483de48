from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.gender import Gender
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.customer_update_custom_attributes_type_0 import CustomerUpdateCustomAttributesType0





T = TypeVar("T", bound="CustomerUpdate")



@_attrs_define
class CustomerUpdate:
    """ Every field optional: only the fields sent change (``null`` clears a field that may be empty).

        Attributes:
            external_ref (None | str | Unset):
            username (None | str | Unset):
            name (None | str | Unset):
            email (None | str | Unset):
            phone (None | str | Unset):
            gender (Gender | None | Unset):
            birth_date (datetime.date | None | Unset):
            city (None | str | Unset):
            state (None | str | Unset):
            postcode (None | str | Unset):
            country (None | str | Unset):
            continent (None | str | Unset):
            city_id (int | None | Unset):
            home_store_id (int | None | Unset):
            marketing_consent (bool | Unset):
            custom_attributes (CustomerUpdateCustomAttributesType0 | None | Unset):
            has_sign_in (bool | Unset): Whether the customer signs in at the gateway (set by the gateway only): their
                username then changes only through their own account there.
     """

    external_ref: None | str | Unset = UNSET
    username: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    gender: Gender | None | Unset = UNSET
    birth_date: datetime.date | None | Unset = UNSET
    city: None | str | Unset = UNSET
    state: None | str | Unset = UNSET
    postcode: None | str | Unset = UNSET
    country: None | str | Unset = UNSET
    continent: None | str | Unset = UNSET
    city_id: int | None | Unset = UNSET
    home_store_id: int | None | Unset = UNSET
    marketing_consent: bool | Unset = UNSET
    custom_attributes: CustomerUpdateCustomAttributesType0 | None | Unset = UNSET
    has_sign_in: bool | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.customer_update_custom_attributes_type_0 import CustomerUpdateCustomAttributesType0 # noqa: PLC0415
        external_ref: None | str | Unset
        if isinstance(self.external_ref, Unset):
            external_ref = UNSET
        else:
            external_ref = self.external_ref

        username: None | str | Unset
        if isinstance(self.username, Unset):
            username = UNSET
        else:
            username = self.username

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        gender: None | str | Unset
        if isinstance(self.gender, Unset):
            gender = UNSET
        elif isinstance(self.gender, Gender):
            gender = self.gender.value
        else:
            gender = self.gender

        birth_date: None | str | Unset
        if isinstance(self.birth_date, Unset):
            birth_date = UNSET
        elif isinstance(self.birth_date, datetime.date):
            birth_date = self.birth_date.isoformat()
        else:
            birth_date = self.birth_date

        city: None | str | Unset
        if isinstance(self.city, Unset):
            city = UNSET
        else:
            city = self.city

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        else:
            state = self.state

        postcode: None | str | Unset
        if isinstance(self.postcode, Unset):
            postcode = UNSET
        else:
            postcode = self.postcode

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country

        continent: None | str | Unset
        if isinstance(self.continent, Unset):
            continent = UNSET
        else:
            continent = self.continent

        city_id: int | None | Unset
        if isinstance(self.city_id, Unset):
            city_id = UNSET
        else:
            city_id = self.city_id

        home_store_id: int | None | Unset
        if isinstance(self.home_store_id, Unset):
            home_store_id = UNSET
        else:
            home_store_id = self.home_store_id

        marketing_consent = self.marketing_consent

        custom_attributes: dict[str, Any] | None | Unset
        if isinstance(self.custom_attributes, Unset):
            custom_attributes = UNSET
        elif isinstance(self.custom_attributes, CustomerUpdateCustomAttributesType0):
            custom_attributes = self.custom_attributes.to_dict()
        else:
            custom_attributes = self.custom_attributes

        has_sign_in = self.has_sign_in


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if external_ref is not UNSET:
            field_dict["external_ref"] = external_ref
        if username is not UNSET:
            field_dict["username"] = username
        if name is not UNSET:
            field_dict["name"] = name
        if email is not UNSET:
            field_dict["email"] = email
        if phone is not UNSET:
            field_dict["phone"] = phone
        if gender is not UNSET:
            field_dict["gender"] = gender
        if birth_date is not UNSET:
            field_dict["birth_date"] = birth_date
        if city is not UNSET:
            field_dict["city"] = city
        if state is not UNSET:
            field_dict["state"] = state
        if postcode is not UNSET:
            field_dict["postcode"] = postcode
        if country is not UNSET:
            field_dict["country"] = country
        if continent is not UNSET:
            field_dict["continent"] = continent
        if city_id is not UNSET:
            field_dict["city_id"] = city_id
        if home_store_id is not UNSET:
            field_dict["home_store_id"] = home_store_id
        if marketing_consent is not UNSET:
            field_dict["marketing_consent"] = marketing_consent
        if custom_attributes is not UNSET:
            field_dict["custom_attributes"] = custom_attributes
        if has_sign_in is not UNSET:
            field_dict["has_sign_in"] = has_sign_in

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.customer_update_custom_attributes_type_0 import CustomerUpdateCustomAttributesType0 # noqa: PLC0415
        d = dict(src_dict)
        def _parse_external_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_ref = _parse_external_ref(d.pop("external_ref", UNSET))


        def _parse_username(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        username = _parse_username(d.pop("username", UNSET))


        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))


        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))


        def _parse_gender(data: object) -> Gender | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                gender_type_0 = Gender(data)



                return gender_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Gender | None | Unset, data)

        gender = _parse_gender(d.pop("gender", UNSET))


        def _parse_birth_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                birth_date_type_0 = datetime.date.fromisoformat(data)



                return birth_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        birth_date = _parse_birth_date(d.pop("birth_date", UNSET))


        def _parse_city(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        city = _parse_city(d.pop("city", UNSET))


        def _parse_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        state = _parse_state(d.pop("state", UNSET))


        def _parse_postcode(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        postcode = _parse_postcode(d.pop("postcode", UNSET))


        def _parse_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))


        def _parse_continent(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        continent = _parse_continent(d.pop("continent", UNSET))


        def _parse_city_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        city_id = _parse_city_id(d.pop("city_id", UNSET))


        def _parse_home_store_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        home_store_id = _parse_home_store_id(d.pop("home_store_id", UNSET))


        marketing_consent = d.pop("marketing_consent", UNSET)

        def _parse_custom_attributes(data: object) -> CustomerUpdateCustomAttributesType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                custom_attributes_type_0 = CustomerUpdateCustomAttributesType0.from_dict(data)



                return custom_attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CustomerUpdateCustomAttributesType0 | None | Unset, data)

        custom_attributes = _parse_custom_attributes(d.pop("custom_attributes", UNSET))


        has_sign_in = d.pop("has_sign_in", UNSET)

        customer_update = cls(
            external_ref=external_ref,
            username=username,
            name=name,
            email=email,
            phone=phone,
            gender=gender,
            birth_date=birth_date,
            city=city,
            state=state,
            postcode=postcode,
            country=country,
            continent=continent,
            city_id=city_id,
            home_store_id=home_store_id,
            marketing_consent=marketing_consent,
            custom_attributes=custom_attributes,
            has_sign_in=has_sign_in,
        )

        return customer_update

