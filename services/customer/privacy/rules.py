"""The privacy rules: which fields of a customer an erasure clears, and when an erasure is complete."""

from collections.abc import Mapping
from typing import Any

# Cleared by an erasure: what names, reaches or locates a person, and what they told the shop about
# themselves. Kept: the id and the external reference (the source system's key, so a later import
# naming it is recognised as an erased customer's), and the non-identifying attributes every report
# groups by (gender, city, state, country, continent, home store), so no figure changes.
ERASED_FIELDS: Mapping[str, Any] = {
    "name": None,
    "email": None,
    "phone": None,
    "username": None,
    "birth_date": None,
    "postcode": None,
    "custom_attributes": {},
    "marketing_consent": False,
    "has_sign_in": False,
}


def erased_values(current: Mapping[str, Any]) -> dict[str, Any]:
    """The changes that erase a customer whose row is ``current``: only the fields still holding something."""
    return {name: value for name, value in ERASED_FIELDS.items() if current.get(name) != value}


def erasure_complete(progress: Mapping[str, str]) -> bool:
    """An erasure is complete once every service has applied it."""
    return bool(progress) and all(state == "done" for state in progress.values())
