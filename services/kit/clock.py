"""Time in Patron: stored in UTC, calendar questions answered in the business time zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC)


def business_today(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()
