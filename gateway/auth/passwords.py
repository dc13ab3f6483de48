"""Staff passwords: the rules a new one must pass (pure functions) and argon2id hashing.

The rules follow NIST SP 800-63B: a minimum length, a maximum so an over-long password is refused
before it costs a hash, and no password from a list of common ones (``common-passwords.txt``),
compared without case and without the digits and symbols people add at the end.
"""

import functools
import re
from importlib.resources import files

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

MAX_LENGTH = 1024
_COMMON_LIST = "common-passwords.txt"
_TRAILING_DECORATION = re.compile(r"[\d\W_]+$")


class PasswordRejected(ValueError):
    """A new password breaks a rule; the message says which, never the password."""


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased."""
    text = files("gateway.auth").joinpath(_COMMON_LIST).read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def is_common(password: str, common: frozenset[str]) -> bool:
    """Whether ``password`` is a common one, or one with digits or symbols added at its end."""
    lowered = password.lower()
    if lowered in common:
        return True
    stem = _TRAILING_DECORATION.sub("", lowered)
    return len(set(lowered)) <= 2 or (bool(stem) and stem in common)


def password_problem(
    password: str, *, min_length: int, email: str | None = None, common: frozenset[str] | None = None
) -> str | None:
    """Why ``password`` may not be used, or None when it may."""
    if len(password) < min_length:
        return f"a password needs at least {min_length} characters"
    if len(password) > MAX_LENGTH:
        return f"a password has at most {MAX_LENGTH} characters"
    if is_common(password, common if common is not None else common_passwords()):
        return "this password is too common; choose another"
    if email and len(local := email.split("@", 1)[0].lower()) >= 4 and local in password.lower():
        return "a password may not contain the email address"
    return None


def check_new_password(password: str, *, min_length: int, email: str | None = None) -> None:
    """Raise ``PasswordRejected`` unless ``password`` passes every rule."""
    problem = password_problem(password, min_length=min_length, email=email)
    if problem is not None:
        raise PasswordRejected(problem)


def password_hasher(*, time_cost: int, memory_cost_kib: int, parallelism: int) -> PasswordHasher:
    """argon2id with the configured costs (argon2-cffi's default type is argon2id)."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism, type=Type.ID)


def verify_password(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    """Whether ``password`` matches the stored hash; an over-long password never reaches argon2."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
