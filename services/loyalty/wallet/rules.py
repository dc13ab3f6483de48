"""The wallet's rules of SPEC §3.1 and §3.5 as pure functions: lots, oldest points first, expiry and value.

Every positive entry (an earning, a positive adjustment, a refund) is a lot that expires. Replaying a
customer's entries in id order tells how many points each lot still holds and which lots each
negative entry took its points from: an expiry takes from the lot it names, every other negative
entry from the lots that expire first (ties: the older lot first).
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from services.kit.money import CENT

KINDS = ("earn", "spend", "expire", "adjust", "refund")


class LedgerInconsistent(ValueError):
    """The entries cannot be replayed: an entry takes points a lot does not hold (never, if written here)."""


@dataclass(frozen=True)
class Entry:
    """What the replay needs of one wallet entry."""

    id: int
    kind: str
    points: int
    expires_at: datetime | None = None
    lot_id: int | None = None


@dataclass(frozen=True)
class Take:
    """Points a negative entry took from one lot (``points`` > 0), and when that lot expires."""

    lot_id: int
    points: int
    expires_at: datetime


@dataclass
class Lot:
    id: int
    points: int
    remaining: int
    expires_at: datetime

    @property
    def order(self) -> tuple[datetime, int]:
        return self.expires_at, self.id


@dataclass
class Ledger:
    """A customer's lots and what each negative entry took, as the replay of their entries leaves them."""

    lots: dict[int, Lot] = field(default_factory=dict)
    takes: dict[int, list[Take]] = field(default_factory=dict)

    @property
    def balance(self) -> int:
        return sum(lot.remaining for lot in self.lots.values())

    def holding(self) -> list[Lot]:
        """The lots still holding points, the first to expire first."""
        return sorted((lot for lot in self.lots.values() if lot.remaining > 0), key=lambda lot: lot.order)

    def oldest_first(self, points: int) -> list[Take]:
        """Where ``points`` would come from, the lots that expire first first; raises if they hold too few."""
        if points <= 0:
            raise ValueError("points to take must be positive")
        takes, wanted = [], points
        for lot in self.holding():
            taken = min(lot.remaining, wanted)
            takes.append(Take(lot.id, taken, lot.expires_at))
            wanted -= taken
            if wanted == 0:
                return takes
        raise LedgerInconsistent(f"{points} points wanted, the lots hold {self.balance}")

    def apply(self, entry: Entry) -> None:
        """Replay one more entry (they come in id order)."""
        if entry.points == 0 or entry.kind not in KINDS:
            raise LedgerInconsistent(f"entry {entry.id}: {entry.kind} of {entry.points} points")
        if entry.points > 0:
            if entry.expires_at is None:
                raise LedgerInconsistent(f"entry {entry.id}: a lot without an expiry")
            self.lots[entry.id] = Lot(entry.id, entry.points, entry.points, entry.expires_at)
            return
        if entry.kind == "expire":
            lot = self.lots.get(entry.lot_id) if entry.lot_id is not None else None
            if lot is None or lot.remaining < -entry.points:
                raise LedgerInconsistent(f"entry {entry.id}: expires more than lot {entry.lot_id} holds")
            takes = [Take(lot.id, -entry.points, lot.expires_at)]
        else:
            takes = self.oldest_first(-entry.points)
        for take in takes:
            self.lots[take.lot_id].remaining -= take.points
        self.takes[entry.id] = takes

    def due(self, now: datetime) -> list[Lot]:
        """The lots past their expiry at ``now`` that still hold points: what an expiry run takes."""
        return [lot for lot in self.holding() if lot.expires_at <= now]

    def available(self, now: datetime) -> int:
        """The points a customer holds at ``now``: lots past their expiry left out, expired or not yet."""
        return sum(lot.remaining for lot in self.holding() if lot.expires_at > now)

    def next_expiry(self, after: datetime | None = None) -> tuple[datetime, int] | None:
        """The earliest expiry of a lot still holding points (after ``after``, if given) and the points
        expiring then; None when no lot holds any."""
        lots = [lot for lot in self.holding() if after is None or lot.expires_at > after]
        if not lots:
            return None
        when = lots[0].expires_at
        return when, sum(lot.remaining for lot in lots if lot.expires_at == when)


def replay(entries: Iterable[Entry]) -> Ledger:
    """The ledger a customer's entries leave, replayed in id order."""
    ledger = Ledger()
    for entry in sorted(entries, key=lambda entry: entry.id):
        ledger.apply(entry)
    return ledger


def refunds_of(ledger: Ledger, spend_id: int) -> list[Take]:
    """What refunding a spend gives back: per lot it took from, those points with that lot's expiry."""
    return list(ledger.takes.get(spend_id, []))


def add_months(when: datetime, months: int) -> datetime:
    """``when`` plus calendar months, the day clamped to the month's last (31 January + 1 = 28/29 February)."""
    month_index = when.month - 1 + months
    year, month = when.year + month_index // 12, month_index % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def points_value(points: int, per_unit: int) -> Decimal:
    """What ``points`` are worth in the base currency, rounded down to the cent (never worth more than they are)."""
    if per_unit <= 0:
        raise ValueError("points per currency unit must be positive")
    cents = abs(points) * 100 // per_unit  # in whole numbers, so no decimal context can round it up
    return (Decimal(cents if points >= 0 else -cents) / 100).quantize(CENT)
