"""Money and currency: Decimal to the cent, ISO 4217 codes, decimal strings on the wire."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, Field, PlainSerializer, WithJsonSchema

CENT = Decimal("0.01")

# ISO 4217 active codes (2024 list). Kept here rather than fetched so validation never needs a network.
ISO_4217 = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN
    BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS
    GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW
    KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD
    NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD
    SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED
    VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
    """.split()  # noqa: SIM905 - a list of 180 codes reads better as text
)


def validate_currency(code: str) -> str:
    """Return the code upper-cased if it is an ISO 4217 currency, else raise ValueError."""
    normalised = code.strip().upper()
    if normalised not in ISO_4217:
        raise ValueError(f"{code!r} is not an ISO 4217 currency code")
    return normalised


def to_cent(amount: Decimal) -> Decimal:
    """Round half-up to the cent, the rounding Patron uses for every amount it derives."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def share_cents(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """``amount`` (to the cent) split in proportion to ``weights`` by largest remainder, to the cent.

    Each share is its exact proportion rounded down to the cent; the cents left over go one each to the
    largest remainders, equal remainders to the earlier weight. The shares add up to ``amount`` exactly.
    """
    total = sum(weights, Decimal(0))
    if total <= 0:
        raise ValueError("the weights must add up to more than zero")
    cents = int(amount / CENT)
    exact = [Decimal(cents) * weight / total for weight in weights]
    shares = [int(share) for share in exact]  # non-negative: int() rounds down
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in by_remainder[: cents - sum(shares)]:
        shares[i] += 1
    return [Decimal(share) * CENT for share in shares]


def _exact_cents(amount: Decimal) -> Decimal:
    if not amount.is_finite():
        raise ValueError("amount must be a finite number")
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValueError("amount has more than two decimal places")
    return amount.quantize(CENT)


Currency = Annotated[
    str,
    Field(
        min_length=3,
        max_length=3,
        pattern="^[A-Za-z]{3}$",
        description="An ISO 4217 currency code (upper-cased on the way in).",
        examples=["USD"],
    ),
    AfterValidator(validate_currency),
]


def _money_schema(*, signed: bool) -> dict[str, Any]:
    """What the contract promises: a decimal string to the cent (a JSON number to the cent is accepted too)."""
    sign = "-?" if signed else ""
    return {
        "anyOf": [
            {"type": "string", "pattern": rf"^{sign}\d{{1,12}}(\.\d{{1,2}})?$", "examples": ["1234.50"]},
            {"type": "number", "multipleOf": 0.01, "maximum": 999_999_999_999.99, **({} if signed else {"minimum": 0})},
        ]
    }


_MONEY_OUT = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["1234.50"]}

Money = Annotated[
    Decimal,
    Field(max_digits=14, decimal_places=2, examples=["1234.50"]),
    AfterValidator(_exact_cents),
    PlainSerializer(lambda amount: f"{amount:.2f}", return_type=str, when_used="json"),
    WithJsonSchema(_money_schema(signed=True), mode="validation"),
    WithJsonSchema(_MONEY_OUT, mode="serialization"),
]
NonNegativeMoney = Annotated[Money, Field(ge=0), WithJsonSchema(_money_schema(signed=False), mode="validation")]
Rate = Annotated[
    Decimal,
    Field(gt=0, max_digits=18, decimal_places=8, examples=["1.1583"]),
    PlainSerializer(lambda rate: format(rate.normalize(), "f"), return_type=str, when_used="json"),
]
