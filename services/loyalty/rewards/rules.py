"""The reward rules of SPEC §3.1 as pure functions: which bills earn, what, and until when."""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from services.loyalty.program.rules import ProgramSettings

TOKEN_BYTES = 24  # 192 random bits: unguessable, 32 URL-safe characters


@dataclass(frozen=True)
class Offer:
    """A recorded bill offered for a reward, from the purchase call or from its event."""

    purchase_id: int
    customer_id: int | None
    source: str  # live or import
    base_total: Decimal  # after discounts, in the base currency
    recorded_at: datetime


@dataclass(frozen=True)
class Terms:
    """What a qualifying bill earns: the category, its percent off, and the token's expiry."""

    category: int
    percent: int
    expires_at: datetime


def reward_category(total: Decimal, thresholds: Sequence[Decimal]) -> int:
    """How many thresholds the total exceeds (strictly): 0 earns nothing."""
    return sum(1 for threshold in thresholds if total > threshold)


def reward_percent(category: int, percents: Sequence[int]) -> int:
    """The percent off a category is worth (``category × 10`` by default)."""
    if not 1 <= category <= len(percents):
        raise ValueError(f"no reward category {category}")
    return percents[category - 1]


def reward_expiry(allocated_at: datetime, days: int) -> datetime:
    return allocated_at + timedelta(days=days)


def reward_terms(offer: Offer, program: ProgramSettings, *, now: datetime) -> Terms | None:
    """What ``offer`` earns under ``program``, or None: imported bills, guest sales and small bills earn nothing."""
    if offer.source != "live" or offer.customer_id is None:
        return None
    category = reward_category(offer.base_total, program.reward_thresholds)
    if category == 0:
        return None
    return Terms(
        category, reward_percent(category, program.reward_percents), reward_expiry(now, program.reward_expiry_days)
    )


def new_token() -> str:
    """A fresh reward token: random, URL-safe, unique in practice (a unique constraint makes it certain)."""
    return secrets.token_urlsafe(TOKEN_BYTES)
