"""Requests counted per subject, route family and fixed window, in the ``gateway`` schema."""

from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, Text
from sqlmodel import Field

from gateway.base import Table


class RateLimitCounter(Table, table=True):
    __tablename__ = "rate_limit_counter"
    __table_args__ = (Index("ix_rate_limit_counter_expires_at", "expires_at"),)

    subject: str = Field(sa_column=Column(Text, primary_key=True))
    family: str = Field(sa_column=Column(Text, primary_key=True))
    window_start: datetime = Field(sa_column=Column(DateTime(timezone=True), primary_key=True))
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    hits: int = Field(sa_column=Column(BigInteger, nullable=False))
