"""Money and currency: Decimal to the cent, ISO 4217 codes, decimal strings on the wire."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, PlainSerializer

CENT = Decimal("0.01")

# ISO 4217 active codes (2024 list). Kept here rather than fetched so validation never needs a network.
ISO_4217 = frozenset(
    [
        "AED",
        "AFN",
        "ALL",
        "AMD",
        "ANG",
        "AOA",
        "ARS",
        "AUD",
        "AWG",
        "AZN",
        "BAM",
        "BBD",
        "BDT",
        "BGN",
        "BHD",
        "BIF",
        "BMD",
        "BND",
        "BOB",
        "BRL",
        "BSD",
        "BTN",
        "BWP",
        "BYN",
        "BZD",
        "CAD",
        "CDF",
        "CHF",
        "CLP",
        "CNY",
        "COP",
        "CRC",
        "CUP",
        "CVE",
        "CZK",
        "DJF",
        "DKK",
        "DOP",
        "DZD",
        "EGP",
        "ERN",
        "ETB",
        "EUR",
        "FJD",
        "FKP",
        "GBP",
        "GEL",
        "GHS",
        "GIP",
        "GMD",
        "GNF",
        "GTQ",
        "GYD",
        "HKD",
        "HNL",
        "HTG",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "IQD",
        "IRR",
        "ISK",
        "JMD",
        "JOD",
        "JPY",
        "KES",
        "KGS",
        "KHR",
        "KMF",
        "KPW",
        "KRW",
        "KWD",
        "KYD",
        "KZT",
        "LAK",
        "LBP",
        "LKR",
        "LRD",
        "LSL",
        "LYD",
        "MAD",
        "MDL",
        "MGA",
        "MKD",
        "MMK",
        "MNT",
        "MOP",
        "MRU",
        "MUR",
        "MVR",
        "MWK",
        "MXN",
        "MYR",
        "MZN",
        "NAD",
        "NGN",
        "NIO",
        "NOK",
        "NPR",
        "NZD",
        "OMR",
        "PAB",
        "PEN",
        "PGK",
        "PHP",
        "PKR",
        "PLN",
        "PYG",
        "QAR",
        "RON",
        "RSD",
        "RUB",
        "RWF",
        "SAR",
        "SBD",
        "SCR",
        "SDG",
        "SEK",
        "SGD",
        "SHP",
        "SLE",
        "SOS",
        "SRD",
        "SSP",
        "STN",
        "SVC",
        "SYP",
        "SZL",
        "THB",
        "TJS",
        "TMT",
        "TND",
        "TOP",
        "TRY",
        "TTD",
        "TWD",
        "TZS",
        "UAH",
        "UGX",
        "USD",
        "UYU",
        "UZS",
        "VED",
        "VES",
        "VND",
        "VUV",
        "WST",
        "XAF",
        "XCD",
        "XCG",
        "XOF",
        "XPF",
        "YER",
        "ZAR",
        "ZMW",
        "ZWG",
    ]
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


def _exact_cents(amount: Decimal) -> Decimal:
    if not amount.is_finite():
        raise ValueError("amount must be a finite number")
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValueError("amount has more than two decimal places")
    return amount.quantize(CENT)


Currency = Annotated[str, Field(min_length=3, max_length=3, examples=["USD"]), AfterValidator(validate_currency)]
Money = Annotated[
    Decimal,
    Field(max_digits=14, decimal_places=2, examples=["1234.50"]),
    AfterValidator(_exact_cents),
    PlainSerializer(lambda amount: f"{amount:.2f}", return_type=str, when_used="json"),
]
NonNegativeMoney = Annotated[Money, Field(ge=0)]
Rate = Annotated[
    Decimal,
    Field(gt=0, max_digits=18, decimal_places=8, examples=["1.1583"]),
    PlainSerializer(lambda rate: format(rate.normalize(), "f"), return_type=str, when_used="json"),
]
