"""A demo retailer generated from a seed: every file of Patron's native import layout, byte for byte the same per seed.

Northfield Electronics sells electronics and home appliances in 13 shops in seven countries and
online (store 0), in five currencies (USD is the base). Over three years its customers place bills
whose number follows the seasons (a November and December peak, quiet Februaries), the week (busy
Saturdays) and a slow growth; most customers buy a few times, a few buy often (a skewed, log-normal
rate per customer), enthusiasts buy dearer baskets, and a handful of trade accounts (offices fitting
out) buy large baskets many times a month, which is what brings some customers to the top loyalty
levels in busy months. Some bills are guest sales, some are cancelled, some lines come back.

Pure: ``build`` returns the data, ``write`` the files; nothing else is touched. Only the standard
library's ``random`` with a seed is used, consumed in a fixed order, so the same seed and size give
the same files.
"""

import csv
import math
import random
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate
from pathlib import Path

DEFAULT_CUSTOMERS = 20_000
DEFAULT_SEED = 1
BILLS_PER_CUSTOMER = 5  # bills, guest sales included, per customer over the whole period
START = date(2023, 1, 1)
MONTHS = 36
BASE_CURRENCY = "USD"

GUEST_SHARE = 0.08  # bills with no customer (in a shop, paid at the till)
NEVER_BUY_SHARE = 0.08  # customers who registered and never bought
CHURN_SHARE = 0.2  # customers who stop buying at some month
PRO_SHARE = 0.02  # enthusiasts: dearer and bigger baskets, about one bill a month
TRADE_PER_CUSTOMERS = 1_000  # one trade account per this many customers (at least two)
CANCEL_SHARE = 0.025
RETURN_SHARE = 0.06
PROMOTION_SHARE = 0.08  # lines sold below list price (three times as often in November and December)

FILES = ("stores", "customers", "products", "exchange_rates", "bills", "returns", "cancellations")

CENT = Decimal("0.01")

# Month of the year -> how busy it is; weekday (Monday first) -> how busy it is.
SEASON = (0.80, 0.72, 0.86, 0.88, 0.92, 0.90, 0.95, 0.98, 0.92, 1.00, 1.30, 1.85)
WEEKDAY = (0.85, 0.85, 0.90, 0.95, 1.10, 1.45, 0.95)
GROWTH_PER_YEAR = 0.08
SHOP_HOURS = tuple(range(9, 21))
SHOP_HOUR_WEIGHTS = (2, 4, 6, 9, 8, 6, 6, 7, 9, 9, 6, 3)
ONLINE_HOUR_WEIGHTS = (1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 6, 7, 6, 5, 5, 5, 6, 8, 10, 11, 10, 7, 3)


@dataclass(frozen=True)
class Country:
    name: str
    code: str
    continent: str
    currency: str
    utc_offset: int  # hours, standard time: close enough for shop hours
    share: float  # of customers
    places: tuple[tuple[str, str, str], ...]  # city, state, postcode prefix
    first_names: tuple[tuple[str, ...], tuple[str, ...]]  # female, male
    last_names: tuple[str, ...]
    phone: str  # a pattern: each "#" a digit


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


# First names as (female, male).
_EN_FIRST = (
    _names(
        "Olivia|Emma|Ava|Sophia|Isabella|Mia|Amelia|Harper|Evelyn|Abigail|Emily|Ella|Grace|Chloe|Zoe|Nora|Aria|Ruby|Priya|Aisha"
    ),
    _names(
        "Liam|Noah|Oliver|Elijah|James|Lucas|Mason|Ethan|Logan|Jack|Henry|Leo|Samuel|David|Daniel|Joseph|Omar|Arjun|Mateo|Wei"
    ),
)
_EN_LAST = _names(
    "Smith|Johnson|Williams|Brown|Jones|Garcia|Miller|Davis|Wilson|Taylor|Clark|Lewis|Walker|Hall|Young|King|Wright|"
    "Scott|Green|Baker|Adams|Nelson|Hill|Campbell|Mitchell|Roberts|Carter|Phillips|Evans|Turner|Patel|Nguyen|Khan"
)
_DE_FIRST = (_names("Anna|Marie|Sophie|Emilia|Lena|Hannah"), _names("Lukas|Leon|Finn|Paul|Jonas|Felix"))
_DE_LAST = _names("Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann")
_FR_FIRST = (_names("Louise|Jade|Ambre|Chloé|Léa|Manon"), _names("Gabriel|Raphaël|Arthur|Louis|Jules|Hugo"))
_FR_LAST = _names("Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau")
_NL_FIRST = (_names("Emma|Julia|Mila|Tess|Sara|Anouk"), _names("Daan|Sem|Lucas|Levi|Finn|Bram"))
_NL_LAST = _names("de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit")


def _places(text: str) -> tuple[tuple[str, str, str], ...]:
    """Cities as ``city/state/postcode prefix``, separated by ``;``."""
    return tuple((city, state, prefix) for city, state, prefix in (place.split("/") for place in text.split("; ")))


COUNTRIES = (
    Country(
        "United States", "US", "North America", "USD", -6, 0.45,
        _places("New York/NY/100; Brooklyn/NY/112; Los Angeles/CA/900; San Diego/CA/921; Chicago/IL/606; "
                "Houston/TX/770; Austin/TX/787; Seattle/WA/981; Denver/CO/802; Boston/MA/021"),
        _EN_FIRST, _EN_LAST, "+1 ### 555 01##",
    ),
    Country(
        "Canada", "CA", "North America", "CAD", -6, 0.10,
        _places("Toronto/ON/M5; Ottawa/ON/K1; Vancouver/BC/V6; Montreal/QC/H2; Calgary/AB/T2"),
        _EN_FIRST, _EN_LAST, "+1 ### 555 01##",
    ),
    Country(
        "United Kingdom", "GB", "Europe", "GBP", 0, 0.15,
        _places("London/England/SW1; Manchester/England/M1; Leeds/England/LS1; Glasgow/Scotland/G1; "
                "Bristol/England/BS1; Cardiff/Wales/CF1"),
        _EN_FIRST, _EN_LAST, "+44 7700 900###",
    ),
    Country(
        "Germany", "DE", "Europe", "EUR", 1, 0.09,
        _places("Berlin/Berlin/10; Hamburg/Hamburg/20; Munich/Bavaria/80; Cologne/North Rhine-Westphalia/50"),
        _DE_FIRST, _DE_LAST, "+49 151 ### ####",
    ),
    Country(
        "France", "FR", "Europe", "EUR", 1, 0.07,
        _places("Paris/Île-de-France/75; Lyon/Auvergne-Rhône-Alpes/69; Marseille/Provence-Alpes-Côte d'Azur/13; "
                "Lille/Hauts-de-France/59"),
        _FR_FIRST, _FR_LAST, "+33 6 ## ## ## ##",
    ),
    Country(
        "Netherlands", "NL", "Europe", "EUR", 1, 0.04,
        _places("Amsterdam/North Holland/10; Rotterdam/South Holland/30; Utrecht/Utrecht/35"),
        _NL_FIRST, _NL_LAST, "+31 6 #### ####",
    ),
    Country(
        "Australia", "AU", "Australia", "AUD", 10, 0.10,
        _places("Sydney/NSW/20; Melbourne/VIC/30; Brisbane/QLD/40; Perth/WA/60"),
        _EN_FIRST, _EN_LAST, "+61 491 570 ###",
    ),
)  # fmt: skip
CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD")
STARTING_RATES = {"EUR": 0.92, "GBP": 0.81, "CAD": 1.35, "AUD": 1.48}  # units per US dollar


@dataclass(frozen=True)
class Store:
    ref: str
    name: str
    country: Country | None  # None: the online shop
    city: str | None
    square_metres: int | None
    opened_on: date | None


# (ref, city, square metres, opened on); each shop in the country whose places name its city.
_SHOPS = (
    ("1", "New York", 1450, date(2012, 3, 1)),
    ("2", "Los Angeles", 1800, date(2014, 9, 15)),
    ("3", "Chicago", 1200, date(2016, 4, 2)),
    ("4", "Houston", 1600, date(2018, 11, 10)),
    ("5", "Seattle", 950, date(2021, 6, 5)),
    ("6", "Toronto", 1100, date(2015, 5, 20)),
    ("7", "Vancouver", 800, date(2019, 8, 1)),
    ("8", "London", 1300, date(2013, 10, 12)),
    ("9", "Manchester", 900, date(2017, 2, 18)),
    ("10", "Berlin", 1000, date(2016, 7, 7)),
    ("11", "Paris", 1050, date(2018, 3, 24)),
    ("12", "Amsterdam", 700, date(2020, 9, 30)),
    ("13", "Sydney", 1150, date(2017, 11, 11)),
)


def _stores() -> tuple[Store, ...]:
    shops = [Store("0", "Online shop", None, None, None, date(2010, 1, 1))]
    for ref, city, size, opened in _SHOPS:
        country = next(c for c in COUNTRIES if any(place[0] == city for place in c.places))
        shops.append(Store(ref, f"Northfield {city}", country, city, size, opened))
    return tuple(shops)


STORES = _stores()

# category, subcategory, lowest and highest list price (USD), what the products are
CATALOGUE = (
    ("Audio", "Headphones", 25, 450, ("Headphones", "Earbuds", "Headset")),
    ("Audio", "Speakers", 30, 900, ("Speaker", "Soundbar", "Bookshelf Speakers")),
    ("Computers", "Laptops", 450, 2800, ("Laptop", "Ultrabook", "Notebook")),
    ("Computers", "Monitors", 120, 1400, ("Monitor", "Display")),
    ("Computers", "Accessories", 10, 180, ("Keyboard", "Mouse", "USB-C Hub", "Webcam")),
    ("Phones", "Smartphones", 180, 1500, ("Smartphone", "Phone")),
    ("Phones", "Cases & Chargers", 8, 90, ("Case", "Charger", "Power Bank", "Cable")),
    ("TV & Video", "Televisions", 250, 3500, ("4K TV", "OLED TV", "Smart TV")),
    ("TV & Video", "Streaming", 25, 200, ("Streaming Stick", "Media Player")),
    ("Home Appliances", "Kitchen", 25, 900, ("Coffee Machine", "Blender", "Air Fryer", "Toaster")),
    ("Home Appliances", "Cleaning", 60, 800, ("Vacuum", "Robot Vacuum", "Steam Mop")),
    ("Cameras", "Cameras", 300, 3200, ("Mirrorless Camera", "Action Camera", "Compact Camera")),
    ("Cameras", "Lenses", 150, 2200, ("Zoom Lens", "Prime Lens")),
    ("Games", "Consoles", 280, 650, ("Console", "Handheld Console")),
    ("Games", "Games & Controllers", 20, 80, ("Controller", "Game")),
    ("Smart Home", "Lighting", 12, 220, ("Smart Bulb", "Light Strip", "Smart Lamp")),
    ("Smart Home", "Security", 40, 400, ("Doorbell Camera", "Security Camera", "Smart Lock")),
)
BRANDS = _names(
    "Aurex|Brightline|Calder|Dynamo|Everpeak|Fennix|Galvo|Helio|Istra|Juno|Kestrel|Lumio|Meridian|Novu|Orbis|Pellar|"
    "Quanta|Ravel|Solace|Tessel|Umbra|Vantor|Wexa|Xylo|Yarrow|Zenith Labs|Arcwave|Bolt & Beam|Corvid|Driftwood|"
    "Ember|Fathom|"
    "Glint|Harbor|Inkwell|Jetstream|Kinetic|Lattice|Mosaic|Nimbus|Onyx|Prism|Quill|Ridge|Sable|Tundra|Uplift|Verve"
)
OWN_BRANDS = ("Northfield", "Northfield Pro")  # the retailer's private labels
COLOURS = ("Black", "White", "Silver", "Grey", "Blue", "Red", "Green", "Gold")
RETURN_REASONS = ("defective", "changed mind", "not as described", "arrived damaged", "better price elsewhere")
CANCEL_REASONS = ("customer request", "payment failed", "out of stock", "duplicate order", "address problem")


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    brand: str
    own_brand: bool
    colour: str
    category: str
    subcategory: str
    unit_cost: Decimal
    unit_price: Decimal


@dataclass(frozen=True)
class Customer:
    ref: str
    username: str
    name: str
    email: str
    phone: str
    gender: str
    birth_date: date
    city: str
    state: str
    postcode: str
    country: Country
    home_store: str
    marketing_consent: bool


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: int
    unit_price: Decimal  # in the base currency


@dataclass
class Bill:
    ordered_at: datetime
    customer: str | None
    store: str
    channel: str  # self or assisted
    currency: str
    lines: list[Line]
    number: str = ""


@dataclass(frozen=True)
class Return:
    bill: str
    line: int
    quantity: int
    returned_at: datetime
    reason: str


@dataclass(frozen=True)
class Cancellation:
    bill: str
    cancelled_at: datetime
    reason: str


@dataclass
class DemoData:
    stores: tuple[Store, ...]
    customers: list[Customer]
    products: list[Product]
    rates: list[tuple[date, str, Decimal]]
    bills: list[Bill]
    returns: list[Return] = field(default_factory=list)
    cancellations: list[Cancellation] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "stores": len(self.stores),
            "customers": len(self.customers),
            "products": len(self.products),
            "exchange_rates": len(self.rates),
            "bills": len(self.bills),
            "bill_lines": sum(len(bill.lines) for bill in self.bills),
            "returned_lines": len(self.returns),
            "cancellations": len(self.cancellations),
        }


def _money(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _digits(rng: random.Random, pattern: str) -> str:
    return "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in pattern)


def _months(start: date, months: int) -> list[date]:
    return [date(start.year + (start.month - 1 + m) // 12, (start.month - 1 + m) % 12 + 1, 1) for m in range(months)]


@dataclass(frozen=True)
class _Month:
    first: date
    weight: float  # how busy the month is: season and growth
    days: tuple[date, ...]
    day_weights: tuple[float, ...]  # cumulative


def _calendar(start: date, months: int) -> list[_Month]:
    calendar = []
    for index, first in enumerate(_months(start, months)):
        following = _months(first, 2)[1]
        days = tuple(first + timedelta(d) for d in range((following - first).days))
        weights = []
        for day in days:
            weight = WEEKDAY[day.weekday()]
            if day.month == 12:
                weight *= 0.15 if day.day in (25, 26) else 1.3 if day.day <= 23 else 0.8
            if day.month == 11 and day.weekday() == 4 and 23 <= day.day <= 29:  # Black Friday
                weight *= 3.0
            weights.append(weight)
        season = SEASON[first.month - 1] * (1 + GROWTH_PER_YEAR) ** (index / 12)
        calendar.append(_Month(first, season, days, tuple(accumulate(weights))))
    return calendar


def _products(rng: random.Random) -> list[Product]:
    products: list[Product] = []

    def make(brand: str, own: bool, line: tuple[str, str, int, int, tuple[str, ...]]) -> None:
        category, subcategory, low, high, nouns = line
        spread = rng.random() ** 1.4
        price = low * (high / low) ** (spread * (0.7 if own else 1.0))
        unit_price = Decimal(int(price)) + Decimal("0.99") if price >= 10 else _money(price)
        margin = rng.uniform(0.35, 0.5) if own else rng.uniform(0.5, 0.75)
        model = f"{rng.choice('ACDEGKMSTVXZ')}{rng.randrange(1, 10) * 100 + rng.choice((0, 0, 50))}"
        products.append(
            Product(
                sku=f"NF-{len(products) + 10001}",
                name=f"{brand} {rng.choice(nouns)} {model}",
                brand=brand,
                own_brand=own,
                colour=rng.choice(COLOURS),
                category=category,
                subcategory=subcategory,
                unit_cost=_money(float(unit_price) * margin),
                unit_price=unit_price,
            )
        )

    for brand in BRANDS:
        lines = rng.sample(CATALOGUE, rng.randint(3, 6))
        for _ in range(12):
            make(brand, False, rng.choice(lines))
    for brand in OWN_BRANDS:
        for _ in range(30):
            make(brand, True, rng.choice(CATALOGUE))
    return products


def _rates(rng: random.Random, first: date, last: date) -> list[tuple[date, str, Decimal]]:
    """Daily rates of the four other currencies: a mean-reverting random walk from realistic levels."""
    rates: list[tuple[date, str, Decimal]] = []
    for currency in CURRENCIES[1:]:
        level = start = STARTING_RATES[currency]
        day = first
        while day <= last:
            rates.append((day, currency, Decimal(f"{level:.6f}")))
            level *= math.exp(rng.gauss(0, 0.0045)) * (start / level) ** 0.01
            day += timedelta(1)
    return rates


@dataclass
class _Shopper:
    customer: Customer
    kind: str  # regular, pro or trade
    rate: float  # bills per month of average weight
    first_month: int
    last_month: int  # inclusive
    online: float  # probability that a bill is placed online (self)
    own_brand: float  # extra liking for the private labels


def _customers(rng: random.Random, count: int, months: int) -> list[_Shopper]:
    shoppers: list[_Shopper] = []
    cumulative_shares = list(accumulate(country.share for country in COUNTRIES))
    trade = max(2, round(count / TRADE_PER_CUSTOMERS))
    trade_at = {round(i * count / trade) for i in range(trade)}  # spread through the file
    for index in range(count):
        country = COUNTRIES[min(bisect_right(cumulative_shares, rng.random()), len(COUNTRIES) - 1)]
        city, state, prefix = rng.choice(country.places)
        female = rng.random() < 0.51
        gender = "Female" if female else "Male"
        first = rng.choice(country.first_names[0 if female else 1])
        last = rng.choice(country.last_names)
        age = min(90, 18 + int(rng.gammavariate(4.0, 6.5)))
        born = date(2024 - age, 1, 1) + timedelta(rng.randrange(365))
        shops = [s for s in STORES if s.country is country]
        local = [s for s in shops if s.city == city]
        online = min(0.95, max(0.02, rng.betavariate(2, 3)))
        if index in trade_at:
            kind = "trade"
            share = len([t for t in trade_at if t < index]) / max(1, trade - 1)
            rate = 7.5 * (0.35 + 0.9 * share)
            online = 0.35 + 0.6 * share
            first_month, last_month = rng.randrange(min(6, months)), months - 1
        else:
            kind = "pro" if rng.random() < PRO_SHARE else "regular"
            rate = 0.0 if rng.random() < NEVER_BUY_SHARE else rng.lognormvariate(0, 1.0)
            if kind == "pro":
                rate = 1.2 * rng.uniform(0.6, 1.4)
            first_month = 0 if rng.random() < 0.3 else rng.randrange(months)
            last_month = months - 1
            if rng.random() < CHURN_SHARE:
                last_month = rng.randrange(first_month, months)
        if online > 0.7 or not shops:
            home = "0"
        else:
            home = (local or shops)[0].ref if local or rng.random() < 0.7 else rng.choice(shops).ref
        ref = f"C{index + 1:06d}"
        handle = unicodedata.normalize("NFKD", f"{first}.{last}".lower()).encode("ascii", "ignore").decode()
        handle = "".join(ch for ch in handle if ch.isalnum() or ch == ".")
        customer = Customer(
            ref=ref,
            username=f"{handle}{index + 1}",
            name=f"{first} {last}",
            email=f"{handle}{index + 1}@example.{rng.choice(('com', 'org', 'net'))}",
            phone=_digits(rng, country.phone),
            gender=gender,
            birth_date=born,
            city=city,
            state=state,
            postcode=prefix + _digits(rng, "#" * max(0, 5 - len(prefix))),
            country=country,
            home_store=home,
            marketing_consent=rng.random() < 0.62,
        )
        shoppers.append(_Shopper(customer, kind, rate, first_month, last_month, online, rng.uniform(0.5, 2.0)))
    return shoppers


class _Picker:
    """Weighted choices of products, built once per kind of shopper."""

    def __init__(self, rng: random.Random, products: Sequence[Product]) -> None:
        order = list(range(len(products)))
        rng.shuffle(order)
        popularity = [0.0] * len(products)
        for rank, index in enumerate(order, start=1):
            popularity[index] = rank**-0.8
        prices = [float(p.unit_price) for p in products]
        self.products = products
        self.regular = list(accumulate(w * p**-0.35 for w, p in zip(popularity, prices, strict=True)))
        self.pro = list(accumulate(w * p**0.3 for w, p in zip(popularity, prices, strict=True)))
        brands = sorted({p.brand for p in products})
        self.by_brand = {brand: [p for p in products if p.brand == brand] for brand in brands}
        self.brands = [b for b in brands if b not in OWN_BRANDS]
        self.own = [p for p in products if p.own_brand]

    def pick(self, rng: random.Random, kind: str, own_liking: float) -> Product:
        if kind == "trade":
            if rng.random() < 0.3:
                return rng.choice(self.own)
            return rng.choice(self.by_brand[rng.choice(self.brands)])
        if rng.random() < 0.1 * own_liking:
            return rng.choice(self.own)
        weights = self.pro if kind == "pro" else self.regular
        return self.products[bisect_right(weights, rng.random() * weights[-1])]


def _basket(rng: random.Random, picker: _Picker, kind: str, own_liking: float, month: int) -> list[Line]:
    if kind == "trade":
        count, most = rng.randint(6, 12), 5
    elif kind == "pro":
        count, most = rng.randint(2, 5), 2
    else:
        count, most = 1, 3
        while count < 8 and rng.random() < 0.45:
            count += 1
    promotion = PROMOTION_SHARE * (3 if month in (11, 12) else 1)
    lines: dict[str, Line] = {}
    for _ in range(count):
        product = picker.pick(rng, kind, own_liking)
        quantity = 1 if rng.random() < 0.8 else rng.randint(2, most)
        if kind == "trade":
            quantity = rng.randint(1, most)
        price = product.unit_price
        if rng.random() < promotion:
            price = (price * Decimal(rng.choice((90, 85, 80, 75))) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        if product.sku in lines:  # the same product twice: one line with both quantities
            kept = lines[product.sku]
            lines[product.sku] = Line(product.sku, kept.quantity + quantity, kept.unit_price)
        else:
            lines[product.sku] = Line(product.sku, quantity, price)
    return list(lines.values())


def _moment(rng: random.Random, month: _Month, online: bool, offset: int) -> datetime:
    """A time in the month, in UTC: a day by its weight, an hour by the shop's (or the web's) rhythm."""
    day = month.days[bisect_right(month.day_weights, rng.random() * month.day_weights[-1])]
    if online:
        hour = rng.choices(range(24), weights=ONLINE_HOUR_WEIGHTS)[0]
    else:
        hour = rng.choices(SHOP_HOURS, weights=SHOP_HOUR_WEIGHTS)[0]
    local = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))
    return (local - timedelta(hours=offset)).replace(tzinfo=UTC)


def build(*, customers: int = DEFAULT_CUSTOMERS, seed: int = DEFAULT_SEED, months: int = MONTHS) -> DemoData:
    """The demo retailer for ``customers`` customers (bills in proportion), the same for the same arguments."""
    if customers < 1:
        raise ValueError("the demo needs at least one customer")
    rng = random.Random(seed)  # noqa: S311 (made-up demo data, not secrets)
    calendar = _calendar(START, months)
    products = _products(rng)
    picker = _Picker(rng, products)
    shoppers = _customers(rng, customers, months)
    prefix = [0.0, *accumulate(m.weight for m in calendar)]

    # Regular rates are scaled so that the bills expected add up to the size asked for.
    def expected(shopper: _Shopper) -> float:
        return shopper.rate * (prefix[shopper.last_month + 1] - prefix[shopper.first_month])

    target = BILLS_PER_CUSTOMER * customers * (1 - GUEST_SHARE)
    fixed = sum(expected(s) for s in shoppers if s.kind != "regular")
    free = sum(expected(s) for s in shoppers if s.kind == "regular")
    scale = max(0.0, target - fixed) / free if free else 0.0

    bills: list[Bill] = []
    shops = [s for s in STORES if s.country is not None]
    for shopper in shoppers:
        rate = shopper.rate * (scale if shopper.kind == "regular" else 1.0)
        customer = shopper.customer
        country = customer.country
        own_shops = [s for s in shops if s.country is country]
        for index in range(shopper.first_month, shopper.last_month + 1):
            month = calendar[index]
            for _ in range(_poisson(rng, rate * month.weight)):
                online = not own_shops or rng.random() < shopper.online
                if online:
                    store, offset, channel = "0", country.utc_offset, "self"
                else:
                    home = next((s for s in own_shops if s.ref == customer.home_store), None)
                    shop = home if home and rng.random() < 0.85 else rng.choice(own_shops)
                    store = shop.ref
                    offset = country.utc_offset
                    channel = "self" if rng.random() < 0.05 else "assisted"  # self: scan-and-go in the app
                lines = _basket(rng, picker, shopper.kind, shopper.own_brand, month.first.month)
                when = _moment(rng, month, online, offset)
                bills.append(Bill(when, customer.ref, store, channel, country.currency, lines))
    guests = round(len(bills) * GUEST_SHARE / (1 - GUEST_SHARE))
    cumulative_months = list(accumulate(m.weight for m in calendar))
    for _ in range(guests):
        month = calendar[bisect_right(cumulative_months, rng.random() * cumulative_months[-1])]
        shop = rng.choice(shops)
        assert shop.country is not None
        lines = _basket(rng, picker, "regular", 1.0, month.first.month)
        when = _moment(rng, month, False, shop.country.utc_offset)
        bills.append(Bill(when, None, shop.ref, "assisted", shop.country.currency, lines))

    bills.sort(key=lambda bill: (bill.ordered_at, bill.customer or "", bill.store))
    width = max(7, len(str(len(bills))))
    returns: list[Return] = []
    cancellations: list[Cancellation] = []
    for number, bill in enumerate(bills, start=1):
        bill.number = f"B{number:0{width}d}"
        chance = rng.random()
        if chance < CANCEL_SHARE:
            delay = timedelta(minutes=rng.randint(5, 36 * 60))
            cancellations.append(Cancellation(bill.number, bill.ordered_at + delay, rng.choice(CANCEL_REASONS)))
        elif chance < CANCEL_SHARE + RETURN_SHARE:
            returned_at = bill.ordered_at + timedelta(days=rng.randint(1, 30), minutes=rng.randint(0, 600))
            count = 2 if len(bill.lines) >= 3 and rng.random() < 0.2 else 1
            for line_no in sorted(rng.sample(range(1, len(bill.lines) + 1), count)):
                line = bill.lines[line_no - 1]
                quantity = line.quantity if rng.random() < 0.7 else rng.randint(1, line.quantity)
                returns.append(Return(bill.number, line_no, quantity, returned_at, rng.choice(RETURN_REASONS)))
    last_day = calendar[-1].days[-1]
    rates = _rates(rng, START - timedelta(days=7), last_day)
    return DemoData(STORES, [s.customer for s in shoppers], products, rates, bills, returns, cancellations)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write(data: DemoData, folder: Path) -> dict[str, Path]:
    """The files of the native layout in ``folder`` (created if need be); returns them by kind."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {kind: folder / f"{kind}.csv" for kind in FILES}
    _write(
        paths["stores"],
        ("store_ref", "name", "country", "state", "square_metres", "opened_on"),
        (
            (
                s.ref,
                s.name,
                s.country.name if s.country else "",
                next((p[1] for p in s.country.places if p[0] == s.city), "") if s.country else "",
                s.square_metres or "",
                s.opened_on.isoformat() if s.opened_on else "",
            )
            for s in data.stores
        ),
    )
    _write(
        paths["customers"],
        (
            "customer_ref",
            "username",
            "name",
            "email",
            "phone",
            "gender",
            "birth_date",
            "city",
            "state",
            "postcode",
            "country",
            "continent",
            "home_store_ref",
            "marketing_consent",
        ),
        (
            (
                c.ref,
                c.username,
                c.name,
                c.email,
                c.phone,
                c.gender,
                c.birth_date.isoformat(),
                c.city,
                c.state,
                c.postcode,
                c.country.name,
                c.country.continent,
                c.home_store,
                "true" if c.marketing_consent else "false",
            )
            for c in data.customers
        ),
    )
    _write(
        paths["products"],
        ("sku", "name", "brand", "own_brand", "colour", "category", "subcategory", "unit_cost", "unit_price"),
        (
            (
                p.sku,
                p.name,
                p.brand,
                "true" if p.own_brand else "false",
                p.colour,
                p.category,
                p.subcategory,
                f"{p.unit_cost:.2f}",
                f"{p.unit_price:.2f}",
            )
            for p in data.products
        ),
    )
    _write(
        paths["exchange_rates"],
        ("date", "currency", "rate"),
        ((day.isoformat(), currency, f"{rate}") for day, currency, rate in data.rates),
    )
    _write(
        paths["bills"],
        (
            "bill",
            "line",
            "ordered_at",
            "customer_ref",
            "store_ref",
            "channel",
            "currency",
            "sku",
            "quantity",
            "unit_price",
        ),
        (
            (
                bill.number,
                line_no,
                _stamp(bill.ordered_at),
                bill.customer or "",
                bill.store,
                bill.channel,
                bill.currency,
                line.sku,
                line.quantity,
                f"{line.unit_price:.2f}",
            )
            for bill in data.bills
            for line_no, line in enumerate(bill.lines, start=1)
        ),
    )
    _write(
        paths["returns"],
        ("bill", "line", "quantity", "returned_at", "reason"),
        ((r.bill, r.line, r.quantity, _stamp(r.returned_at), r.reason) for r in data.returns),
    )
    _write(
        paths["cancellations"],
        ("bill", "cancelled_at", "reason"),
        ((c.bill, _stamp(c.cancelled_at), c.reason) for c in data.cancellations),
    )
    return paths


def generate(folder: Path, *, customers: int = DEFAULT_CUSTOMERS, seed: int = DEFAULT_SEED) -> DemoData:
    """Build the demo retailer and write its files to ``folder``."""
    data = build(customers=customers, seed=seed)
    write(data, folder)
    return data
