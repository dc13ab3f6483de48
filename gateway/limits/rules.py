"""Rate-limit rules: the limits a setting names, fixed windows, and the reply's headers (pure).

A limit is ``count`` requests per ``seconds``, per subject (an API key, a signed-in user, a client
address) and route family (the first path segment under ``/api/v1``). Windows are fixed and aligned
on the epoch, so every gateway process counts a subject's requests in the same window.
"""

import math
from dataclasses import dataclass

ANY_FAMILY = "*"


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @property
    def policy(self) -> str:
        """``RateLimit-Policy`` of the IETF draft (draft-ietf-httpapi-ratelimit-headers): ``100;w=60``."""
        return f"{self.count};w={self.seconds}"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: Limit
    remaining: int
    reset_seconds: int  # until the window ends


def parse_limits(text: str) -> dict[str, Limit | None]:
    """``"*=3000/60,imports=30/60"`` → limits by family; ``0`` requests means no limit for that family."""
    limits: dict[str, Limit | None] = {}
    for entry in text.split(","):
        if not entry.strip():
            continue
        family, equals, rule = entry.partition("=")
        count, slash, seconds = rule.partition("/")
        family = family.strip()
        if not family or not equals or not slash or not count.strip().isdigit() or not seconds.strip().isdigit():
            raise ValueError(f"rate limit {entry.strip()!r} is not `family=count/seconds`")
        if int(seconds) < 1:
            raise ValueError(f"rate limit {entry.strip()!r} needs a window of at least 1 second")
        limits[family] = Limit(int(count), int(seconds)) if int(count) > 0 else None
    return limits


def limit_for(limits: dict[str, Limit | None], family: str) -> Limit | None:
    if family in limits:
        return limits[family]
    return limits.get(ANY_FAMILY)


def family_of(path: str, prefix: str = "/api/v1") -> str | None:
    """The route family of a public path (``/api/v1/imports/7`` → ``imports``), None outside the API."""
    if not path.startswith(prefix + "/"):
        return None
    return path[len(prefix) + 1 :].partition("/")[0] or None


def window_start(now: float, seconds: int) -> int:
    """The start (epoch seconds) of the fixed window ``now`` falls in."""
    return int(now // seconds) * seconds


def decide(limit: Limit, used: int, start: int, now: float) -> Decision:
    """Whether one more request fits when ``used`` were already counted in the window starting at ``start``."""
    reset = max(1, math.ceil(start + limit.seconds - now))
    if used + 1 > limit.count:
        return Decision(False, limit, 0, reset)
    return Decision(True, limit, limit.count - used - 1, reset)


def headers(decision: Decision) -> list[tuple[bytes, bytes]]:
    """The reply's rate-limit headers (the IETF draft's, and ``Retry-After`` when refused)."""
    values = [
        (b"ratelimit-policy", decision.limit.policy),
        (b"ratelimit-limit", str(decision.limit.count)),
        (b"ratelimit-remaining", str(decision.remaining)),
        (b"ratelimit-reset", str(decision.reset_seconds)),
    ]
    if not decision.allowed:
        values.append((b"retry-after", str(decision.reset_seconds)))
    return [(name, value.encode("latin-1")) for name, value in values]


def tightest(decisions: list[Decision]) -> Decision | None:
    """The decision the reply reports: a refusal first, else the one with the fewest requests left."""
    if not decisions:
        return None
    return min(decisions, key=lambda decision: (decision.allowed, decision.remaining))
