"""Turn a database constraint violation into the client error it stands for, naming the field."""

from collections.abc import Mapping

from sqlalchemy.exc import IntegrityError

from services.kit.db import postgres_error
from services.kit.errors import Conflict, FieldError


def constraint_name(exc: IntegrityError) -> str | None:
    return getattr(postgres_error(exc), "constraint_name", None)


def raise_for_unique(exc: IntegrityError, fields: Mapping[str, tuple[str, str]]) -> None:
    """Raise a 409 naming the field if ``exc`` broke one of the known unique constraints."""
    name = constraint_name(exc)
    if name is not None and name in fields:
        field, message = fields[name]
        raise Conflict(f"{field}: {message}", errors=[FieldError(field, message, "unique")]) from exc
    return None
