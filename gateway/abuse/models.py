"""Sign-in attempts per subject (an account name or a client address) in the ``gateway`` schema."""

from datetime import datetime

from sqlalchemy import Column, Integer, Text
from sqlmodel import Field

from gateway.base import Table, timestamp_field


class SignInThrottle(Table, table=True):
    __tablename__ = "sign_in_throttle"

    subject: str = Field(sa_column=Column(Text, primary_key=True))
    attempts: int = Field(sa_column=Column(Integer, nullable=False))
    last_attempt_at: datetime = timestamp_field()
    blocked_until: datetime | None = timestamp_field(nullable=True)
