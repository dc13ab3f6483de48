"""Loading clean rows: COPY into session-local staging tables, then set-based SQL into the real tables.

Each file role has a loader: ``prepare`` turns one cleaned row into a staging record (or a reason
to skip it), and ``load`` moves one staged batch into the customer schema with a handful of
statements, whatever the batch size. New records are announced in the same transaction, set-based
too, by the outbox's own statements (``outbox.statement``; ``created`` for aggregates the batch has
just made, each getting its ``event_sequence`` row and its first event, seq 1); their payloads are
built in SQL by ``payload_sql`` from the contract models, which refuses a payload missing a field.

Every insert is keyed (external references, ``(source, number)`` of purchases, ``(currency, date)``
of rates) and skips what exists, so importing the same file twice adds nothing.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from services.contracts.customer import (
    CustomersImported,
    DatedRate,
    ExchangeRateUpserted,
    ProductsImported,
    PurchaseCancelled,
    PurchaseLineAmounts,
    PurchaseLineReturned,
    PurchasesImported,
    ReturnedLine,
    StoreAttributes,
    StoreCreated,
    StoreUpdated,
)
from services.customer.imports.cleaning import Rejected
from services.customer.outbox import outbox
from services.kit.outbox import item_sql, payload_sql, row_sql, selected

S = "customer"
ONLINE_STORE_ID = 0
SERVICE_SKU = "SERVICE"
# The reason a customer row naming an erased customer is skipped, in the import's report; a bill row
# naming one is counted under ``ERASED_CUSTOMER_ROWS`` (its bill loads, anonymous, without its personal fields).
ERASED_CUSTOMER_ROW = "belongs to an erased customer: its personal fields are skipped"
ERASED_CUSTOMER_ROWS = "rows_of_erased_customers"


@dataclass
class LoadContext:
    base_currency: str
    timezone: str
    currency: str  # the currency of amounts in files that do not name one (the minimal layout)
    headers: dict[str, str]  # field -> the file's column name, for rejection reasons
    import_id: int = 0  # the import job: its aggregate (``import:<id>``) carries the batch events
    service_product_id: int | None = None


@dataclass
class BatchResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)
    merged: dict[str, int] = field(default_factory=dict)  # rows merged into a record by its key (also present)
    rejections: list[tuple[int, str, str]] = field(default_factory=list)
    events: int = 0  # written to the outbox: batch events for what was created, single ones for changes

    def add(self, bucket: dict[str, int], name: str, count: int) -> None:
        if count:
            bucket[name] = bucket.get(name, 0) + count

    def merge(self, other: "BatchResult") -> None:
        pairs = (
            (self.created, other.created),
            (self.updated, other.updated),
            (self.present, other.present),
            (self.merged, other.merged),
        )
        for bucket, more in pairs:
            for name, count in more.items():
                self.add(bucket, name, count)
        self.rejections.extend(other.rejections)
        self.events += other.events

    async def announce(self, conn: Any, statement: str, *args: Any) -> None:
        """Run an outbox statement and count the events it wrote."""
        self.events += _count(await conn.execute(statement, *args))


def _count(status: str) -> int:
    """Rows affected, from asyncpg's command tag (``INSERT 0 12``, ``UPDATE 3``, ``DELETE 1``)."""
    return int(status.rsplit(" ", 1)[-1]) if status else 0


def _attrs(values: dict[str, Any]) -> str | None:
    extra = values.get("attributes")
    return json.dumps(extra, ensure_ascii=False) if extra else None


def _ref(value: Any) -> str | None:
    return None if value is None else str(value)


_AGE_BAND = """
    CASE WHEN c.birth_date IS NULL THEN NULL ELSE (
        SELECT CASE WHEN a < 10 THEN 'under 10' WHEN a >= 60 THEN '60 and above'
                    ELSE (a / 10 * 10)::text || '-' || (a / 10 * 10 + 9)::text END
        FROM (SELECT extract(year FROM age(current_date, c.birth_date))::int AS a) AS years
    ) END
"""


def named_customers(rows: str) -> str:
    """$1: the import; $2: the file role. Record the customers the rows of ``rows`` (a query of ``customer_id``
    and ``row_no``) name: a row per customer and batch in ``import_customer``, what a privacy export lists
    as the imports that named a customer."""
    return f"""
        INSERT INTO {S}.import_customer (import_id, customer_id, role, rows, first_row)
        SELECT $1::bigint, r.customer_id, $2::text, count(*), min(r.row_no) FROM ({rows}) r
        WHERE r.customer_id IS NOT NULL GROUP BY r.customer_id
    """


# $1: the import. Record the rows of a customers batch merged into a customer by its external reference: every row
# naming a customer that was there before, every row but the first (the one loaded) of a customer the
# batch has just created (``imp_new``). Returns how many rows were merged.
CUSTOMERS_MERGED = f"""
    WITH merged AS (
    INSERT INTO {S}.customer_merge (import_id, customer_id, matched_on, kept, merged_rows)
    SELECT $1::bigint, m.id, 'external_ref', m.kept, m.merged_rows
    FROM (
        SELECT c.id, CASE WHEN n.id IS NULL THEN 'existing' ELSE 'created' END AS kept,
               CASE WHEN n.id IS NULL THEN array_agg(s.row_no ORDER BY s.row_no)
                    ELSE (array_agg(s.row_no ORDER BY s.row_no))[2:] END AS merged_rows
        FROM imp_customers s JOIN {S}.customer c ON c.external_ref = s.external_ref
        LEFT JOIN imp_new n ON n.id = c.id
        GROUP BY c.id, n.id
    ) m
    WHERE cardinality(m.merged_rows) > 0
    RETURNING cardinality(merged_rows) AS rows
    ) SELECT coalesce(sum(rows), 0) FROM merged
"""


# The events of the records a batch has just created or linked (their ids in ``imp_new``), each
# statement the outbox's own, run with ``conn.execute``; its row count is the events written.

# $1: the import. Its new customers, in chunks of ``customers.imported``.
CUSTOMERS_CREATED = outbox.batch(
    CustomersImported,
    f"""(
        SELECT c.id AS key, c.id AS ord, {
        item_sql(
            CustomersImported,
            customer_id="c.id",
            external_ref="c.external_ref",
            gender="c.gender",
            age_band=_AGE_BAND,
            city="c.city",
            state="c.state",
            country="c.country",
            continent="c.continent",
            city_id="c.city_id",
            home_store_id="c.home_store_id",
            marketing_consent="c.marketing_consent",
            status="c.status",
        )
    } AS item
        FROM {S}.customer c JOIN imp_new n ON n.id = c.id
    )""",
    import_id="$1",
)


def _store_events(event: type[StoreAttributes]) -> str:
    payload = payload_sql(
        event,
        store_id="st.id",
        name="st.name",
        online="st.online",
        country="st.country",
        state="st.state",
        square_metres="st.square_metres",
        opened_on="st.opened_on",
        status="st.status",
    )
    return f"(SELECT st.id AS key, st.id AS ord, {payload} AS payload FROM {S}.store st JOIN imp_new n ON n.id = st.id)"


STORES_UPDATED = outbox.statement(selected(_store_events(StoreUpdated), StoreUpdated))
STORES_CREATED = outbox.statement(selected(_store_events(StoreCreated), StoreCreated), created=True)

# $1: the base currency, the currency of product prices; $2: the import. In chunks of ``products.imported``.
PRODUCTS_CREATED = outbox.batch(
    ProductsImported,
    f"""(
        SELECT p.id AS key, p.id AS ord, {
        item_sql(
            ProductsImported,
            product_id="p.id",
            sku="p.sku",
            name="p.name",
            brand="p.brand",
            own_brand="p.own_brand",
            colour="p.colour",
            category="p.category",
            subcategory="p.subcategory",
            currency="CAST($1 AS text)",
            unit_cost="p.unit_cost",
            unit_price="p.unit_price",
            track_stock="p.track_stock",
            status="p.status",
        )
    } AS item
        FROM {S}.product p JOIN imp_new n ON n.id = p.id
    )""",
    import_id="$2",
)

# $1: the base currency. The rates this batch wrote (its transaction's ``now()``), as the file gave them.
RATES_UPSERTED = outbox.statement(
    selected(
        f"""(
        SELECT s.currency AS key, min(s.row_no) AS ord, {
            payload_sql(
                ExchangeRateUpserted,
                currency="s.currency",
                base_currency="CAST($1 AS text)",
                rates=f"jsonb_agg({payload_sql(DatedRate, date='s.rate_date', rate='s.rate')} ORDER BY s.rate_date)",
            )
        } AS payload
        FROM (SELECT DISTINCT ON (currency, rate_date) * FROM imp_rates ORDER BY currency, rate_date, row_no DESC) s
        JOIN {S}.exchange_rate e ON e.currency = s.currency AND e.rate_date = s.rate_date
        WHERE e.updated_at = now()
        GROUP BY s.currency
    )""",
        ExchangeRateUpserted,
    )
)


# A chunk of ``purchases.imported`` holds at most 1,000 bills and, roughly, 2,000 lines, so a chunk
# of bills with many lines each stays far below the broker's message size limit.
PURCHASE_CHUNK_LINES = 2000

# Each field of an imported bill's item, from purchase row ``p`` and its lines ``l.lines``; $1: the
# base currency. A bill in the base currency has the rate 1, as the live ledger writes it (not 1.00000000).
_IMPORTED_BILL = {
    "purchase_id": "p.id",
    "number": "p.number",
    "customer_id": "p.customer_id",
    "store_id": "p.store_id",
    "channel": "p.channel",
    "source": "p.source",
    "currency": "p.currency",
    "base_currency": "CAST($1 AS text)",
    "rate": "CASE WHEN p.currency = CAST($1 AS text) THEN 1 ELSE p.rate END",
    "purchased_at": "p.purchased_at",
    "reward_token": "p.reward_token",
    "base_total": "p.base_total",
    "local_total": "p.local_total",
    "base_discount": "p.base_discount",
    "local_discount": "p.local_discount",
    "lines": "l.lines",
    "points_spent": "p.points_spent",
}

# $1: the base currency; $2: the import. The bills this batch has just created (``imp_new``), their
# lines as the live ledger announces them, in chunks of ``purchases.imported``.
PURCHASES_CREATED = outbox.batch(
    PurchasesImported,
    f"""(
        SELECT p.id AS key, p.id AS ord, {
        item_sql(
            PurchasesImported,
            **_IMPORTED_BILL,
        )
    } AS item, l.n AS weight
        FROM imp_new n
        JOIN {S}.purchase p ON p.id = n.id
        JOIN (
            SELECT l.purchase_id, count(*) AS n, jsonb_agg({
        row_sql(
            PurchaseLineAmounts,
            line_id="l.id",
            line_no="l.line_no",
            product_id="l.product_id",
            quantity="l.quantity",
            base_unit_price="l.base_unit_price",
            local_unit_price="l.local_unit_price",
            base_discount="l.base_discount",
            local_discount="l.local_discount",
            base_total="l.base_total",
            local_total="l.local_total",
        )
    } ORDER BY l.line_no) AS lines
            FROM imp_new n2 JOIN {S}.purchase_line l ON l.purchase_id = n2.id
            GROUP BY l.purchase_id
        ) l ON l.purchase_id = p.id
    )""",
    import_id="$2",
    chunk_weight=PURCHASE_CHUNK_LINES,
)


class RoleLoader:
    """How the rows of one file role are staged and loaded."""

    role: ClassVar[str]
    staging: ClassVar[str]
    columns: ClassVar[tuple[tuple[str, str], ...]]  # (name, type) of the staging table, row_no first

    @classmethod
    def ddl(cls) -> str:
        """The staging table keeps its rows across commits (see ``load_references``); each batch empties it first."""
        body = ", ".join(f"{name} {kind}" for name, kind in cls.columns)
        return f"CREATE TEMP TABLE IF NOT EXISTS {cls.staging} ({body}) ON COMMIT PRESERVE ROWS"

    @classmethod
    def column_names(cls) -> list[str]:
        return [name for name, _ in cls.columns]

    def __init__(self, context: LoadContext) -> None:
        self.context = context

    def prepare(self, row: int, values: dict[str, Any]) -> tuple[Any, ...] | str:
        """A staging record, or the reason the row is skipped (raise ``Rejected`` to reject it)."""
        raise NotImplementedError

    async def load_references(self, conn: Any) -> BatchResult | None:
        """Create what the staged rows refer to and other batches may share, in a transaction of its own.

        Returns None when the role has no such records. Loaders that have them (bills name their
        customers) commit them before ``load``, one batch at a time, so the batches loading at once
        never wait on each other's uncommitted customers.
        """
        return None

    async def load(self, conn: Any) -> BatchResult:
        raise NotImplementedError


class StoresLoader(RoleLoader):
    role = "stores"
    staging = "imp_stores"
    columns = (
        ("row_no", "bigint"),
        ("external_ref", "text"),
        ("name", "text"),
        ("country", "text"),
        ("state", "text"),
        ("square_metres", "integer"),
        ("opened_on", "date"),
        ("attrs", "jsonb"),
    )

    def prepare(self, row: int, values: dict[str, Any]) -> tuple[Any, ...] | str:
        key = _ref(values["external_ref"])
        country, state = values.get("country"), values.get("state")
        if key == str(ONLINE_STORE_ID):
            country = state = None  # the dataset writes "Online" where a country belongs
        name = values.get("name") or ", ".join(part for part in (state, country) if part) or f"Store {key}"
        if values.get("square_metres") is not None and values["square_metres"] < 0:
            raise Rejected("square metres cannot be negative", field="square_metres")
        return (row, key, name, country, state, values.get("square_metres"), values.get("opened_on"), _attrs(values))

    async def load(self, conn: Any) -> BatchResult:
        result = BatchResult()
        # Key 0 is the online shop, which every deployment has as store 0: link it, never duplicate it.
        updated = await conn.execute(f"""
            WITH upd AS (
                UPDATE {S}.store st SET external_ref = s.external_ref,
                    opened_on = coalesce(st.opened_on, s.opened_on),
                    square_metres = coalesce(st.square_metres, s.square_metres), updated_at = now()
                FROM (SELECT * FROM imp_stores WHERE external_ref = '{ONLINE_STORE_ID}' ORDER BY row_no LIMIT 1) s
                WHERE st.id = {ONLINE_STORE_ID} AND st.external_ref IS NULL
                RETURNING st.id
            ) INSERT INTO imp_new (id) SELECT id FROM upd
        """)
        result.add(result.updated, "stores", _count(updated))
        await result.announce(conn, STORES_UPDATED)
        await conn.execute("TRUNCATE imp_new")
        inserted = await conn.execute(f"""
            WITH ins AS (
                INSERT INTO {S}.store (external_ref, name, online, country, state, square_metres, opened_on)
                SELECT DISTINCT ON (external_ref) external_ref, name, false, country, state, square_metres, opened_on
                FROM imp_stores WHERE external_ref <> '{ONLINE_STORE_ID}' ORDER BY external_ref, row_no
                ON CONFLICT (external_ref) DO NOTHING
                RETURNING id
            ) INSERT INTO imp_new (id) SELECT id FROM ins
        """)
        result.add(result.created, "stores", _count(inserted))
        await _keep_attributes(conn, "store", "imp_stores", f"{S}.store")
        await result.announce(conn, STORES_CREATED)
        staged = await conn.fetchval("SELECT count(*) FROM imp_stores")
        result.add(result.present, "stores", staged - _count(inserted) - _count(updated))
        await conn.execute("TRUNCATE imp_new")
        return result


async def _keep_attributes(conn: Any, entity: str, staging: str, table: str) -> None:
    """Unmapped columns of the records just created, beside them in ``import_attribute``."""
    await conn.execute(f"""
        INSERT INTO {S}.import_attribute (entity, entity_id, attributes)
        SELECT DISTINCT ON (t.id) '{entity}', t.id, s.attrs
        FROM imp_new n JOIN {table} t ON t.id = n.id JOIN {staging} s ON s.external_ref = t.external_ref
        WHERE s.attrs IS NOT NULL
        ORDER BY t.id, s.row_no
        ON CONFLICT DO NOTHING
    """)


class CustomersLoader(RoleLoader):
    role = "customers"
    staging = "imp_customers"
    columns = (
        ("row_no", "bigint"),
        ("external_ref", "text"),
        ("name", "text"),
        ("email", "text"),
        ("gender", "text"),
        ("birth_date", "date"),
        ("city", "text"),
        ("state", "text"),
        ("postcode", "text"),
        ("country", "text"),
        ("continent", "text"),
        ("attrs", "jsonb"),
        ("username", "text"),
        ("phone", "text"),
        ("home_store_ref", "text"),
        ("marketing_consent", "boolean"),
    )

    def prepare(self, row: int, values: dict[str, Any]) -> tuple[Any, ...] | str:
        birth = values.get("birth_date")
        if birth is not None and not 1900 <= birth.year <= datetime.now().year:
            raise Rejected(f"birth date {birth.isoformat()} is out of range", field="birth_date")
        return (
            row,
            _ref(values["external_ref"]),
            values.get("name"),
            values.get("email"),
            values.get("gender"),
            birth,
            values.get("city"),
            values.get("state"),
            values.get("postcode"),
            values.get("country"),
            values.get("continent"),
            _attrs(values),
            username.lower() if (username := values.get("username")) else None,
            values.get("phone"),
            _ref(values.get("home_store_ref")),
            values.get("marketing_consent"),
        )

    async def _refuse(self, conn: Any, result: BatchResult) -> None:
        """Reject (and unstage) rows naming an unknown home store or a username another customer has, and
        the rows of erased customers (their personal fields are not loaded again)."""
        headers = self.context.headers
        failures = await conn.fetch(
            f"""
            SELECT row_no, col, reason FROM (
                SELECT s.row_no, $1::text AS col, 'unknown store ' || s.home_store_ref AS reason
                FROM imp_customers s LEFT JOIN {S}.store st ON st.external_ref = s.home_store_ref
                WHERE s.home_store_ref IS NOT NULL AND st.id IS NULL
                UNION ALL
                SELECT s.row_no, $2::text, 'username ' || s.username || ' belongs to another customer'
                FROM (
                    SELECT *, first_value(external_ref) OVER (PARTITION BY username ORDER BY row_no) AS claimed_by
                    FROM imp_customers WHERE username IS NOT NULL
                ) s
                WHERE s.claimed_by <> s.external_ref  -- an earlier row of another customer has it
                   OR EXISTS (SELECT FROM {S}.customer c WHERE c.username = s.username
                              AND c.external_ref IS DISTINCT FROM s.external_ref)
                UNION ALL
                -- An erased customer's personal data never comes back: the row is theirs, and skipped.
                SELECT s.row_no, $3::text, '{ERASED_CUSTOMER_ROW}'
                FROM imp_customers s JOIN {S}.customer c ON c.external_ref = s.external_ref
                WHERE EXISTS (SELECT FROM {S}.privacy_request r WHERE r.customer_id = c.id AND r.kind = 'erasure')
            ) f ORDER BY row_no
            """,
            headers.get("home_store_ref", "home store"),
            headers.get("username", "username"),
            headers.get("external_ref", "external_ref"),
        )
        if failures:
            result.rejections.extend((f["row_no"], f["col"], f["reason"]) for f in failures)
            # Refused rows naming a customer there already (an erased one's, above all) still named them.
            await conn.execute(
                named_customers(
                    f"SELECT c.id AS customer_id, s.row_no FROM imp_customers s"
                    f" JOIN {S}.customer c ON c.external_ref = s.external_ref WHERE s.row_no = ANY($3::bigint[])"
                ),
                self.context.import_id,
                self.role,
                [f["row_no"] for f in failures],
            )
            await conn.execute(
                "DELETE FROM imp_customers WHERE row_no = ANY($1::bigint[])", [f["row_no"] for f in failures]
            )

    async def load(self, conn: Any) -> BatchResult:
        result = BatchResult()
        await self._refuse(conn, result)
        # The home store is another file's key: ``store_ref`` "0" is the online shop, store 0.
        inserted = await conn.execute(f"""
            WITH ins AS (
                INSERT INTO {S}.customer (external_ref, username, name, email, phone, gender, birth_date, city,
                    state, postcode, country, continent, home_store_id, marketing_consent, custom_attributes)
                SELECT DISTINCT ON (s.external_ref) s.external_ref, s.username, s.name, s.email, s.phone, s.gender,
                    s.birth_date, s.city, s.state, s.postcode, s.country, s.continent, st.id,
                    coalesce(s.marketing_consent, false), coalesce(s.attrs, '{{}}'::jsonb)
                FROM imp_customers s LEFT JOIN {S}.store st ON st.external_ref = s.home_store_ref
                ORDER BY s.external_ref, s.row_no
                ON CONFLICT DO NOTHING
                RETURNING id
            ) INSERT INTO imp_new (id) SELECT id FROM ins
        """)
        # A username a batch loading at the same time has just taken: its row is left out, and said so.
        lost = await conn.fetch(f"""
            SELECT s.row_no, s.username FROM imp_customers s
            WHERE s.username IS NOT NULL
              AND NOT EXISTS (SELECT FROM {S}.customer c WHERE c.external_ref = s.external_ref)
            ORDER BY s.row_no
        """)
        column = self.context.headers.get("username", "username")
        result.rejections.extend(
            (row["row_no"], column, f"username {row['username']} belongs to another customer") for row in lost
        )
        await result.announce(conn, CUSTOMERS_CREATED, self.context.import_id)
        await conn.execute(
            named_customers(
                f"SELECT c.id AS customer_id, s.row_no FROM imp_customers s"
                f" JOIN {S}.customer c ON c.external_ref = s.external_ref"
            ),
            self.context.import_id,
            self.role,
        )
        result.add(result.merged, "customers", int(await conn.fetchval(CUSTOMERS_MERGED, self.context.import_id)))
        staged = await conn.fetchval("SELECT count(*) FROM imp_customers")
        result.add(result.created, "customers", _count(inserted))
        result.add(result.present, "customers", staged - _count(inserted) - len(lost))
        await conn.execute("TRUNCATE imp_new")
        return result


class ProductsLoader(RoleLoader):
    role = "products"
    staging = "imp_products"
    columns = (
        ("row_no", "bigint"),
        ("external_ref", "text"),
        ("name", "text"),
        ("brand", "text"),
        ("colour", "text"),
        ("category", "text"),
        ("subcategory", "text"),
        ("unit_cost", "numeric"),
        ("unit_price", "numeric"),
        ("attrs", "jsonb"),
        ("own_brand", "boolean"),
    )

    def prepare(self, row: int, values: dict[str, Any]) -> tuple[Any, ...] | str:
        for name in ("unit_cost", "unit_price"):
            if values.get(name) is not None and values[name] < 0:
                raise Rejected(f"{self.context.headers[name]} cannot be negative", field=name)
        return (
            row,
            _ref(values["external_ref"]),
            values["name"],
            values.get("brand"),
            values.get("colour"),
            values.get("category"),
            values.get("subcategory"),
            values.get("unit_cost") if values.get("unit_cost") is not None else Decimal("0.00"),
            values["unit_price"],
            _attrs(values),
            bool(values.get("own_brand")),
        )

    async def load(self, conn: Any) -> BatchResult:
        result = BatchResult()
        # Historic sales carry no stock figures: products they create are never checked for stock.
        inserted = await conn.execute(f"""
            WITH ins AS (
                INSERT INTO {S}.product (external_ref, sku, name, brand, own_brand, colour, category, subcategory,
                    unit_cost, unit_price, track_stock)
                SELECT DISTINCT ON (external_ref) external_ref, external_ref, name, brand, own_brand, colour, category,
                    subcategory, unit_cost, unit_price, false
                FROM imp_products ORDER BY external_ref, row_no
                ON CONFLICT DO NOTHING
                RETURNING id
            ) INSERT INTO imp_new (id) SELECT id FROM ins
        """)
        await _keep_attributes(conn, "product", "imp_products", f"{S}.product")
        await result.announce(conn, PRODUCTS_CREATED, self.context.base_currency, self.context.import_id)
        staged = await conn.fetchval("SELECT count(*) FROM imp_products")
        result.add(result.created, "products", _count(inserted))
        result.add(result.present, "products", staged - _count(inserted))
        await conn.execute("TRUNCATE imp_new")
        return result


class ExchangeRatesLoader(RoleLoader):
    role = "exchange_rates"
    staging = "imp_rates"
    columns = (("row_no", "bigint"), ("currency", "text"), ("rate_date", "date"), ("rate", "numeric"))

    def prepare(self, row: int, values: dict[str, Any]) -> tuple[Any, ...] | str:
        if values["currency"] == self.context.base_currency:
            return "base currency (its rate is 1 by definition)"
        rate: Decimal = values["rate"]
        if rate <= 0:
            raise Rejected(f"rate {rate} is not positive", field="rate")
        exponent = rate.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -8:
            raise Rejected(f"rate {rate} has more than 8 decimal places", field="rate")
        return (row, values["currency"], values["rate_date"], rate)

    async def load(self, conn: Any) -> BatchResult:
        result = BatchResult()
        rows = await conn.fetch(f"""
            WITH up AS (
                INSERT INTO {S}.exchange_rate AS e (currency, rate_date, rate)
                SELECT DISTINCT ON (currency, rate_date) currency, rate_date, rate
                FROM imp_rates ORDER BY currency, rate_date, row_no DESC
                ON CONFLICT (currency, rate_date) DO UPDATE SET rate = excluded.rate, updated_at = now()
                    WHERE e.rate IS DISTINCT FROM excluded.rate
                RETURNING e.currency, e.rate_date, (xmax = 0) AS inserted
            ) SELECT inserted, count(*) AS n FROM up GROUP BY inserted
        """)
        inserted = sum(row["n"] for row in rows if row["inserted"])
        updated = sum(row["n"] for row in rows if not row["inserted"])
        if inserted or updated:
            # Announce what this batch wrote, with the rates as the file gave them.
            await result.announce(conn, RATES_UPSERTED, self.context.base_currency)
        staged = await conn.fetchval("SELECT count(*) FROM imp_rates")
        result.add(result.created, "exchange_rates", inserted)
        result.add(result.updated, "exchange_rates", updated)
        result.add(result.present, "exchange_rates", staged - inserted - updated)
        return result


class SalesLoader(RoleLoader):
    """Order lines: one bill per order number, its lines priced as the live ledger prices them."""

    role = "sales"
    staging = "imp_sales"
    columns = (
        ("row_no", "bigint"),
        ("number", "text"),
        ("line_no", "integer"),
        ("purchased_at", "timestamptz"),
        ("customer_ref", "text"),
        ("store_ref", "text"),
        ("product_ref", "text"),
        ("quantity", "integer"),
        ("currency", "text"),
        ("unit_price", "numeric"),
        ("attrs", "jsonb"),
        ("channel", "text"),
    )

    def prepare(self, row: int, values: dict[str, Any]) -> tuple[Any, ...] | str:
        quantity = values["quantity"]
        if quantity <= 0:
            raise Rejected(
                f"quantity {quantity} is not positive (returns are not part of this layout)", field="quantity"
            )
        if values["line_no"] <= 0 or values["line_no"] > 2**31 - 1:
            raise Rejected(f"line number {values['line_no']} is out of range", field="line_no")
        if quantity > 2**31 - 1:
            raise Rejected(f"quantity {quantity} is out of range", field="quantity")
        return (
            row,
            values["number"],
            values["line_no"],
            values["purchased_at"],
            _ref(values.get("customer_ref")),
            _ref(values["store_ref"]),
            _ref(values["product_ref"]),
            quantity,
            values["currency"],
            values.get("unit_price"),
            _attrs(values),
            values.get("channel"),
        )

    async def load(self, conn: Any) -> BatchResult:
        result = BatchResult()
        base, tz, headers = self.context.base_currency, self.context.timezone, self.context.headers
        await conn.execute(
            f"""
            INSERT INTO imp_lines
            SELECT s.row_no, s.number, s.line_no, s.purchased_at, s.customer_ref, c.id, s.store_ref, st.id,
                   coalesce(st.online, false), s.product_ref, p.id, s.quantity, s.currency,
                   CASE WHEN s.currency = $1::text THEN 1 ELSE r.rate END,
                   CASE WHEN s.currency = $1::text THEN NULL ELSE r.rate_date END,
                   coalesce(s.unit_price, p.unit_price), s.attrs,
                   coalesce(s.channel, CASE WHEN coalesce(st.online, false) THEN 'self' ELSE 'assisted' END)
            FROM imp_sales s
            LEFT JOIN {S}.customer c ON c.external_ref = s.customer_ref
            LEFT JOIN {S}.store st ON st.external_ref = s.store_ref
            LEFT JOIN {S}.product p ON p.external_ref = s.product_ref
            LEFT JOIN LATERAL (
                SELECT e.rate, e.rate_date FROM {S}.exchange_rate e
                WHERE e.currency = s.currency AND e.rate_date <= (s.purchased_at AT TIME ZONE $2::text)::date
                ORDER BY e.rate_date DESC LIMIT 1
            ) r ON s.currency <> $1::text
            """,
            base,
            tz,
        )
        # The customers the rows name, refused ones as well: they named them.
        await conn.execute(
            named_customers("SELECT customer_id, row_no FROM imp_lines"), self.context.import_id, self.role
        )
        failures = await conn.fetch(
            """
            SELECT row_no, number, col, reason FROM (
                SELECT row_no, number, $1::text AS col, 'unknown customer ' || customer_ref AS reason
                FROM imp_lines WHERE customer_ref IS NOT NULL AND customer_id IS NULL
                UNION ALL
                SELECT row_no, number, $2::text, 'unknown store ' || store_ref FROM imp_lines WHERE store_id IS NULL
                UNION ALL
                SELECT row_no, number, $3::text, 'unknown product ' || product_ref
                FROM imp_lines WHERE product_id IS NULL
                UNION ALL
                SELECT row_no, number, $4::text,
                       'no ' || currency || ' exchange rate on or before '
                       || to_char(purchased_at AT TIME ZONE $5::text, 'YYYY-MM-DD')
                FROM imp_lines WHERE rate IS NULL
                UNION ALL
                SELECT row_no, number, $6::text, 'line ' || line_no || ' of order ' || number || ' appears twice'
                FROM (SELECT *, row_number() OVER (PARTITION BY number, line_no ORDER BY row_no) AS n
                      FROM imp_lines) d WHERE n > 1
            ) f ORDER BY row_no
            """,
            headers.get("customer_ref", "customer"),
            headers.get("store_ref", "store"),
            headers.get("product_ref", "product"),
            headers.get("currency", "currency"),
            tz,
            headers.get("line_no", "line"),
        )
        if failures:
            # A bill is refused whole: one bad line rejects every line of its order.
            first: dict[str, int] = {}
            for failure in failures:
                first.setdefault(failure["number"], failure["row_no"])
                result.rejections.append((failure["row_no"], failure["col"], failure["reason"]))
            failed_rows = {failure["row_no"] for failure in failures}
            siblings = await conn.fetch(
                "DELETE FROM imp_lines WHERE number = ANY($1::text[]) RETURNING row_no, number", list(first)
            )
            for sibling in siblings:
                if sibling["row_no"] not in failed_rows:
                    result.rejections.append(
                        (
                            sibling["row_no"],
                            headers.get("number", "number"),
                            f"order {sibling['number']} is rejected with its row {first[sibling['number']]}",
                        )
                    )
            result.rejections.sort()
        await conn.execute(
            "INSERT INTO imp_heads SELECT DISTINCT ON (number) number, customer_id, store_id, online, currency,"
            " rate, rate_date, purchased_at, attrs, channel FROM imp_lines ORDER BY number, line_no"
        )
        inserted = await conn.execute(f"""
            WITH totals AS (
                SELECT l.number, sum(round(l.base_unit_price * l.quantity, 2)) AS base,
                       sum(round(l.base_unit_price * h.rate, 2) * l.quantity) AS local
                FROM imp_lines l JOIN imp_heads h ON h.number = l.number GROUP BY l.number
            ), ins AS (
                INSERT INTO {S}.purchase (number, customer_id, store_id, channel, source, currency, rate, rate_date,
                    purchased_at, base_gross, base_discount, base_total, local_gross, local_discount, local_total)
                SELECT h.number, h.customer_id, h.store_id, h.channel,
                       'import', h.currency, h.rate, h.rate_date, h.purchased_at,
                       t.base, 0, t.base, t.local, 0, t.local
                FROM imp_heads h JOIN totals t ON t.number = h.number
                ORDER BY h.purchased_at, h.number
                ON CONFLICT (source, number) DO NOTHING
                RETURNING id, number
            ) INSERT INTO imp_new (id, number) SELECT id, number FROM ins
        """)
        await conn.execute("ANALYZE imp_new")
        lines = await conn.execute(f"""
            INSERT INTO {S}.purchase_line (purchase_id, line_no, product_id, quantity, base_unit_price,
                local_unit_price, base_gross, base_discount, base_total, local_gross, local_discount, local_total)
            SELECT n.id, l.line_no, l.product_id, l.quantity, l.base_unit_price, u.local_unit,
                   round(l.base_unit_price * l.quantity, 2), 0, round(l.base_unit_price * l.quantity, 2),
                   u.local_unit * l.quantity, 0, u.local_unit * l.quantity
            FROM imp_lines l JOIN imp_new n ON n.number = l.number JOIN imp_heads h ON h.number = l.number
            CROSS JOIN LATERAL (SELECT round(l.base_unit_price * h.rate, 2) AS local_unit) u
        """)
        await conn.execute(f"""
            INSERT INTO {S}.import_attribute (entity, entity_id, attributes)
            SELECT 'purchase', n.id, h.attrs FROM imp_new n JOIN imp_heads h ON h.number = n.number
            WHERE h.attrs IS NOT NULL ON CONFLICT DO NOTHING
        """)
        await result.announce(conn, PURCHASES_CREATED, base, self.context.import_id)
        staged_lines = await conn.fetchval("SELECT count(*) FROM imp_lines")
        staged_orders = await conn.fetchval("SELECT count(*) FROM imp_heads")
        result.add(result.created, "purchases", _count(inserted))
        result.add(result.created, "purchase_lines", _count(lines))
        result.add(result.present, "purchases", staged_orders - _count(inserted))
        result.add(result.present, "purchase_lines", staged_lines - _count(lines))
        await conn.execute("TRUNCATE imp_new, imp_heads, imp_lines")
        return result


# A batch of the minimal layout in one statement: the bills and their single lines, the bills' ids
# into ``imp_new`` for their events. Rows that say the same bill are bills of their own, numbered
# from the second on by their occurrence in the file (``#2``, ``#3``), counted per import in
# ``import_occurrence`` (batches loaded at once take turns on a number's row), so importing the file
# again names the same bills and adds nothing. $1: the bills' currency, $2: the base currency, $3:
# the business time zone, $4: the service product, $5: the import.
BILLS = (
    "WITH "
    + ",\n".join(
        [
            f"""seen AS (
        INSERT INTO {S}.import_occurrence AS o (import_id, number, seen)
        SELECT $5::bigint, number, count(*) FROM imp_bills GROUP BY number ORDER BY number
        ON CONFLICT (import_id, number) DO UPDATE SET seen = o.seen + excluded.seen
        RETURNING o.number, o.seen
    )""",
            """numbered AS (
        SELECT n.row_no, n.client_id, n.purchased_at, n.amount,
               CASE WHEN n.occurrence = 1 THEN n.said ELSE n.said || '#' || n.occurrence END AS number
        FROM (
            SELECT b.row_no, b.client_id, b.purchased_at, b.amount, b.number AS said,
                   s.seen - count(*) OVER (PARTITION BY b.number)
                   + row_number() OVER (PARTITION BY b.number ORDER BY b.row_no) AS occurrence
            FROM imp_bills b JOIN seen s ON s.number = b.number
        ) n
    )""",
            f"""priced AS (
        SELECT b.*, c.id AS customer_id,
               CASE WHEN $1::text = $2::text THEN 1 ELSE r.rate END AS rate,
               CASE WHEN $1::text = $2::text THEN NULL ELSE r.rate_date END AS rate_date
        FROM numbered b
        LEFT JOIN {S}.customer c ON c.external_ref = b.client_id
        LEFT JOIN LATERAL (
            SELECT e.rate, e.rate_date FROM {S}.exchange_rate e
            WHERE e.currency = $1::text AND e.rate_date <= (b.purchased_at AT TIME ZONE $3::text)::date
            ORDER BY e.rate_date DESC LIMIT 1
        ) r ON $1::text <> $2::text
    )""",
            f"""p AS (
        INSERT INTO {S}.purchase (number, customer_id, store_id, channel, source, currency, rate, rate_date,
            purchased_at, base_gross, base_discount, base_total, local_gross, local_discount, local_total)
        SELECT number, customer_id, {ONLINE_STORE_ID}, 'assisted', 'import', $1::text, rate, rate_date,
               purchased_at, round(amount / rate, 2), 0, round(amount / rate, 2), amount, 0, amount
        FROM priced ORDER BY row_no
        ON CONFLICT (source, number) DO NOTHING
        RETURNING *
    )""",
            f"""l AS (
        INSERT INTO {S}.purchase_line (purchase_id, line_no, product_id, quantity, base_unit_price,
            local_unit_price, base_gross, base_discount, base_total, local_gross, local_discount, local_total)
        SELECT id, 1, $4::bigint, 1, base_total, local_total, base_total, 0, base_total, local_total, 0, local_total
        FROM p
    )""",
        ]
    )
    + "\nINSERT INTO imp_new (id) SELECT id FROM p"
)


class BillsLoader(RoleLoader):
    """The minimal layout: each row a bill of one service line, keyed by what the row says."""

    role = "bills"
    staging = "imp_bills"
    columns = (
        ("row_no", "bigint"),
        ("number", "text"),
        ("client_id", "text"),
        ("purchased_at", "timestamptz"),
        ("amount", "numeric"),
        ("email", "text"),
        ("name", "text"),
        ("attrs", "jsonb"),
    )

    def prepare(self, row: int, values: dict[str, Any]) -> tuple[Any, ...] | str:
        amount: Decimal = values["amount"]
        if amount < 0:
            raise Rejected(f"amount {amount} is negative (refunds are not part of the minimal layout)", field="amount")
        if abs(amount) >= Decimal("1e12"):
            raise Rejected(f"amount {amount} is out of range", field="amount")
        client = values.get("client_id")
        purchased_at: datetime = values["purchased_at"]
        # No bill number in this layout: the bill is what the row says (who, when, how much). Rows that
        # say the same are bills of their own: ``BILLS`` numbers the second and later (``#2``, ``#3``).
        number = f"m:{client or ''}@{purchased_at.timestamp():.6f}={amount:.2f}"
        return (row, number, client, purchased_at, amount, values.get("email"), values.get("name"), _attrs(values))

    async def load_references(self, conn: Any) -> BatchResult:
        result = BatchResult()
        customers = await conn.execute(f"""
            WITH ins AS (
                INSERT INTO {S}.customer (external_ref, name, email, custom_attributes)
                SELECT DISTINCT ON (client_id) client_id, name, email, coalesce(attrs, '{{}}'::jsonb)
                FROM imp_bills WHERE client_id IS NOT NULL ORDER BY client_id, row_no
                ON CONFLICT (external_ref) DO NOTHING
                RETURNING id
            ) INSERT INTO imp_new (id) SELECT id FROM ins
        """)
        await result.announce(conn, CUSTOMERS_CREATED, self.context.import_id)
        await conn.execute("TRUNCATE imp_new")
        result.add(result.created, "customers", _count(customers))
        await conn.execute(
            named_customers(
                f"SELECT c.id AS customer_id, b.row_no FROM imp_bills b"
                f" JOIN {S}.customer c ON c.external_ref = b.client_id"
            ),
            self.context.import_id,
            self.role,
        )
        # A bill of an erased customer stays theirs (the anonymous ledger), its name and email are not kept.
        erased = await conn.fetchval(f"""
            SELECT count(*) FROM imp_bills b JOIN {S}.customer c ON c.external_ref = b.client_id
            WHERE EXISTS (SELECT FROM {S}.privacy_request r WHERE r.customer_id = c.id AND r.kind = 'erasure')
        """)
        result.add(result.present, ERASED_CUSTOMER_ROWS, int(erased))
        return result

    async def load(self, conn: Any) -> BatchResult:
        result = BatchResult()
        context = self.context
        if context.currency != context.base_currency:
            missing = await conn.fetch(
                f"""
                SELECT b.row_no, to_char(b.purchased_at AT TIME ZONE $2::text, 'YYYY-MM-DD') AS day FROM imp_bills b
                WHERE NOT EXISTS (SELECT FROM {S}.exchange_rate e WHERE e.currency = $1::text
                                  AND e.rate_date <= (b.purchased_at AT TIME ZONE $2::text)::date)
                """,
                context.currency,
                context.timezone,
            )
            for row in missing:
                result.rejections.append(
                    (
                        row["row_no"],
                        context.headers.get("amount", "amount"),
                        f"no {context.currency} exchange rate on or before {row['day']}",
                    )
                )
            if missing:
                await conn.execute(
                    "DELETE FROM imp_bills WHERE row_no = ANY($1::bigint[])", [r["row_no"] for r in missing]
                )
        inserted = await conn.execute(
            BILLS,
            context.currency,
            context.base_currency,
            context.timezone,
            context.service_product_id,
            context.import_id,
        )
        # Without statistics PostgreSQL guesses a few hundred new bills and joins their grouped lines
        # by a nested loop, which grows with the square of the batch: tens of minutes on big imports.
        await conn.execute("ANALYZE imp_new")
        await result.announce(conn, PURCHASES_CREATED, context.base_currency, context.import_id)
        await conn.execute("TRUNCATE imp_new")
        staged = await conn.fetchval("SELECT count(*) FROM imp_bills")
        # Each bill has one line: the bills created are the lines created.
        result.add(result.created, "purchases", _count(inserted))
        result.add(result.created, "purchase_lines", _count(inserted))
        result.add(result.present, "purchases", staged - _count(inserted))
        return result


# The returns a batch has just written (``imp_returned``), one event per bill.
RETURNS_RECORDED = outbox.statement(
    selected(
        f"""(
        SELECT r.purchase_id AS key, r.purchase_id AS ord, {
            payload_sql(
                PurchaseLineReturned,
                purchase_id="r.purchase_id",
                customer_id="p.customer_id",
                source="p.source",
                returned_at="max(r.returned_at)",
                lines=f'''jsonb_agg({
                    payload_sql(
                        ReturnedLine,
                        line_id="r.line_id",
                        product_id="r.product_id",
                        quantity="r.quantity",
                        base_amount="r.base_amount",
                        local_amount="r.local_amount",
                    )
                } ORDER BY r.line_id)''',
            )
        } AS payload
        FROM imp_returned r JOIN {S}.purchase p ON p.id = r.purchase_id
        GROUP BY r.purchase_id, p.customer_id, p.source
    )""",
        PurchaseLineReturned,
    )
)

# The bills a batch has just cancelled (their ids in ``imp_new``): what was not returned is given back.
CANCELLATIONS_RECORDED = outbox.statement(
    selected(
        f"""(
        SELECT p.id AS key, p.id AS ord, {
            payload_sql(
                PurchaseCancelled,
                purchase_id="p.id",
                customer_id="p.customer_id",
                source="p.source",
                cancelled_at="p.cancelled_at",
                base_amount="p.base_total - p.base_returned",
                local_amount="p.local_total - p.local_returned",
            )
        } AS payload
        FROM {S}.purchase p JOIN imp_new n ON n.id = p.id
    )""",
        PurchaseCancelled,
    )
)


async def _reject_bills(
    conn: Any, staging: str, failures: Sequence[Any], result: BatchResult, bill_header: str
) -> None:
    """Reject the failed rows, and with them every other row of their bills (a bill's rows go together)."""
    first: dict[str, int] = {}
    for failure in failures:
        first.setdefault(failure["number"], failure["row_no"])
        result.rejections.append((failure["row_no"], failure["col"], failure["reason"]))
    failed_rows = {failure["row_no"] for failure in failures}
    siblings = await conn.fetch(
        f"DELETE FROM {staging} WHERE number = ANY($1::text[]) RETURNING row_no, number", list(first)
    )
    for sibling in siblings:
        if sibling["row_no"] not in failed_rows:
            number = sibling["number"]
            result.rejections.append(
                (sibling["row_no"], bill_header, f"bill {number} is rejected with its row {first[number]}")
            )
    result.rejections.sort()


class ReturnsLoader(RoleLoader):
    """Returns of imported bills' lines: a line's rows add up to what came back of it.

    Keyed by the line: a line that has returns already is left as it is, so importing the file
    again adds nothing (a bill's rows come together, so one batch holds all of a line's returns).
    Refunds are the live ledger's: the returned share of the line's total, to the cent.
    """

    role = "returns"
    staging = "imp_returns"
    columns = (
        ("row_no", "bigint"),
        ("number", "text"),
        ("line_no", "integer"),
        ("quantity", "integer"),
        ("returned_at", "timestamptz"),
        ("reason", "text"),
    )

    def prepare(self, row: int, values: dict[str, Any]) -> tuple[Any, ...] | str:
        quantity = values["quantity"]
        if quantity <= 0 or quantity > 2**31 - 1:
            raise Rejected(f"quantity {quantity} is not a positive number of units", field="quantity")
        if values["line_no"] <= 0 or values["line_no"] > 2**31 - 1:
            raise Rejected(f"line number {values['line_no']} is out of range", field="line_no")
        return (row, values["number"], values["line_no"], quantity, values["returned_at"], values.get("reason"))

    async def load(self, conn: Any) -> BatchResult:
        result = BatchResult()
        headers = self.context.headers
        failures = await conn.fetch(
            f"""
            WITH j AS (
                SELECT s.row_no, s.number, s.line_no, p.id AS purchase_id, p.status, l.id AS line_id,
                       l.quantity AS bought, l.returned_quantity,
                       sum(s.quantity) OVER (PARTITION BY s.number, s.line_no) AS total
                FROM imp_returns s
                LEFT JOIN {S}.purchase p ON p.source = 'import' AND p.number = s.number
                LEFT JOIN {S}.purchase_line l ON l.purchase_id = p.id AND l.line_no = s.line_no
            )
            SELECT row_no, number, $1::text AS col, 'unknown bill ' || number AS reason
            FROM j WHERE purchase_id IS NULL
            UNION ALL
            SELECT row_no, number, $2::text, 'bill ' || number || ' has no line ' || line_no
            FROM j WHERE purchase_id IS NOT NULL AND line_id IS NULL
            UNION ALL
            SELECT row_no, number, $1::text, 'bill ' || number || ' is cancelled; nothing can be returned'
            FROM j WHERE line_id IS NOT NULL AND returned_quantity = 0 AND status = 'cancelled'
            UNION ALL
            SELECT row_no, number, $3::text,
                   'returns of line ' || line_no || ' of bill ' || number || ' add up to ' || total
                   || ', more than the ' || bought || ' bought'
            FROM j WHERE line_id IS NOT NULL AND returned_quantity = 0 AND status = 'recorded' AND total > bought
            ORDER BY row_no
            """,
            headers.get("number", "bill"),
            headers.get("line_no", "line"),
            headers.get("quantity", "quantity"),
        )
        if failures:
            await _reject_bills(conn, "imp_returns", failures, result, headers.get("number", "bill"))
        applied = await conn.execute(f"""
            INSERT INTO imp_returned
            SELECT l.id, l.purchase_id, l.product_id, a.quantity, a.returned_at,
                   CASE WHEN a.quantity = l.quantity THEN l.base_total
                        ELSE round(l.base_total * a.quantity / l.quantity, 2) END,
                   CASE WHEN a.quantity = l.quantity THEN l.local_total
                        ELSE round(l.local_total * a.quantity / l.quantity, 2) END
            FROM (
                SELECT number, line_no, sum(quantity) AS quantity, max(returned_at) AS returned_at
                FROM imp_returns GROUP BY number, line_no
            ) a
            JOIN {S}.purchase p ON p.source = 'import' AND p.number = a.number AND p.status = 'recorded'
            JOIN {S}.purchase_line l ON l.purchase_id = p.id AND l.line_no = a.line_no AND l.returned_quantity = 0
            ORDER BY l.purchase_id, l.id
        """)
        if _count(applied):
            await conn.execute(f"""
                UPDATE {S}.purchase_line l SET returned_quantity = r.quantity
                FROM imp_returned r WHERE l.id = r.line_id
            """)
            await conn.execute(f"""
                UPDATE {S}.purchase p
                SET base_returned = p.base_returned + r.base, local_returned = p.local_returned + r.local
                FROM (SELECT purchase_id, sum(base_amount) AS base, sum(local_amount) AS local
                      FROM imp_returned GROUP BY purchase_id) r
                WHERE p.id = r.purchase_id
            """)
            events_before = result.events
            await result.announce(conn, RETURNS_RECORDED)
            result.add(result.created, "returns", result.events - events_before)  # one event per bill
        staged = await conn.fetchval("SELECT count(*) FROM (SELECT DISTINCT number, line_no FROM imp_returns) d")
        result.add(result.created, "returned_lines", _count(applied))
        result.add(result.present, "returned_lines", staged - _count(applied))
        await conn.execute("TRUNCATE imp_returned")
        return result


class CancellationsLoader(RoleLoader):
    """Cancellations of imported bills, whole: keyed by the bill, so a bill already cancelled is left as it is."""

    role = "cancellations"
    staging = "imp_cancellations"
    columns = (("row_no", "bigint"), ("number", "text"), ("cancelled_at", "timestamptz"), ("reason", "text"))

    def prepare(self, row: int, values: dict[str, Any]) -> tuple[Any, ...] | str:
        return (row, values["number"], values["cancelled_at"], values.get("reason"))

    async def load(self, conn: Any) -> BatchResult:
        result = BatchResult()
        headers = self.context.headers
        failures = await conn.fetch(
            f"""
            SELECT s.row_no, s.number, $1::text AS col, 'unknown bill ' || s.number AS reason FROM imp_cancellations s
            WHERE NOT EXISTS (SELECT FROM {S}.purchase p WHERE p.source = 'import' AND p.number = s.number)
            ORDER BY s.row_no
            """,
            headers.get("number", "bill"),
        )
        if failures:
            await _reject_bills(conn, "imp_cancellations", failures, result, headers.get("number", "bill"))
        cancelled = await conn.execute(f"""
            WITH upd AS (
                UPDATE {S}.purchase p SET status = 'cancelled', cancelled_at = s.cancelled_at,
                    cancel_reason = s.reason
                FROM (SELECT DISTINCT ON (number) * FROM imp_cancellations ORDER BY number, row_no) s
                WHERE p.source = 'import' AND p.number = s.number AND p.status = 'recorded'
                RETURNING p.id
            ) INSERT INTO imp_new (id) SELECT id FROM upd
        """)
        if _count(cancelled):
            await result.announce(conn, CANCELLATIONS_RECORDED)
        staged = await conn.fetchval("SELECT count(DISTINCT number) FROM imp_cancellations")
        result.add(result.created, "cancellations", _count(cancelled))
        result.add(result.present, "cancellations", staged - _count(cancelled))
        await conn.execute("TRUNCATE imp_new")
        return result


WORK_TABLES = (
    "CREATE TEMP TABLE IF NOT EXISTS imp_new (id bigint, number text) ON COMMIT DELETE ROWS",
    """CREATE TEMP TABLE IF NOT EXISTS imp_lines (row_no bigint, number text, line_no integer,
        purchased_at timestamptz, customer_ref text, customer_id bigint, store_ref text, store_id bigint,
        online boolean, product_ref text, product_id bigint, quantity integer, currency text, rate numeric,
        rate_date date, base_unit_price numeric, attrs jsonb, channel text) ON COMMIT DELETE ROWS""",
    """CREATE TEMP TABLE IF NOT EXISTS imp_heads (number text, customer_id bigint, store_id bigint,
        online boolean, currency text, rate numeric, rate_date date, purchased_at timestamptz, attrs jsonb,
        channel text) ON COMMIT DELETE ROWS""",
    """CREATE TEMP TABLE IF NOT EXISTS imp_returned (line_id bigint, purchase_id bigint, product_id bigint,
        quantity integer, returned_at timestamptz, base_amount numeric, local_amount numeric) ON COMMIT DELETE ROWS""",
)

LOADERS: dict[str, type[RoleLoader]] = {
    loader.role: loader
    for loader in (
        StoresLoader,
        CustomersLoader,
        ProductsLoader,
        ExchangeRatesLoader,
        SalesLoader,
        BillsLoader,
        ReturnsLoader,
        CancellationsLoader,
    )
}


async def prepare_session(conn: Any, roles: Sequence[str]) -> None:
    """Create the session's staging tables (temporary, emptied at each commit)."""
    for statement in WORK_TABLES:
        await conn.execute(statement)
    for role in roles:
        await conn.execute(LOADERS[role].ddl())


async def ensure_service_product(conn: Any, *, base_currency: str, import_id: int) -> tuple[int, int]:
    """The product of service lines (bills that name no product), created once, never stock-tracked; and
    the events its creation wrote (none when it was there already)."""
    created = await conn.execute(f"""
        WITH ins AS (
            INSERT INTO {S}.product (sku, name, unit_cost, unit_price, track_stock)
            VALUES ('{SERVICE_SKU}', 'Service (imported bill without products)', 0, 0, false)
            ON CONFLICT DO NOTHING RETURNING id
        ) INSERT INTO imp_new (id) SELECT id FROM ins
    """)
    events = _count(await conn.execute(PRODUCTS_CREATED, base_currency, import_id)) if _count(created) else 0
    await conn.execute("TRUNCATE imp_new")
    product_id: int = await conn.fetchval(f"SELECT id FROM {S}.product WHERE sku = '{SERVICE_SKU}'")
    return product_id, events
