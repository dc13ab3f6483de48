"""The privacy rules as pure functions: what an erasure clears, and when it is complete."""

from datetime import date

from services.customer.privacy.rules import ERASED_FIELDS, erased_values, erasure_complete


def test_an_erasure_clears_every_personal_field_and_nothing_the_reports_group_by():
    row = {
        "name": "Ada",
        "email": "ada@example.org",
        "phone": "+44 20 7946 0000",
        "username": "ada",
        "birth_date": date(1990, 4, 2),
        "postcode": "N1 9GU",
        "custom_attributes": {"shoe_size": "38"},
        "marketing_consent": True,
        "has_sign_in": True,
        "gender": "female",
        "city": "London",
        "country": "United Kingdom",
        "external_ref": "CRM-1",
    }
    changes = erased_values(row)
    assert changes == {
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
    assert not {"gender", "city", "country", "external_ref", "id"} & set(ERASED_FIELDS)


def test_a_row_already_erased_needs_no_change():
    assert erased_values(dict(ERASED_FIELDS)) == {}
    assert erased_values(dict(ERASED_FIELDS) | {"phone": "1"}) == {"phone": None}


def test_an_erasure_is_complete_once_every_service_has_applied_it():
    assert erasure_complete({"customer": "done", "loyalty": "done", "analytics": "done", "gateway": "done"})
    assert not erasure_complete({"customer": "done", "loyalty": "pending", "analytics": "done", "gateway": "done"})
    assert not erasure_complete({"customer": "done", "gateway": "unreachable"})
    assert not erasure_complete({})
