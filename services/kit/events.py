"""Event payloads, the envelope every event travels in, subject naming and the one JetStream stream."""

import asyncio
import builtins
import contextlib
import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol, Self, TypeVar
from uuid import UUID

import nats
import nats.errors
import nats.js.errors
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from pydantic import AwareDatetime, BaseModel, ConfigDict, field_validator

log = logging.getLogger("patron.events")

STREAM_NAME = "PATRON"
SUBJECT_ROOT = "patron"
MSG_ID_HEADER = "Nats-Msg-Id"
# Long enough to cover a relay that crashed after publishing and restarts; the broker keeps one
# entry per message id for this long, so it is a memory/accuracy trade-off, not a retention limit.
DEFAULT_DUPLICATE_WINDOW_SECONDS = 15 * 60

BROKER_ERRORS: tuple[type[BaseException], ...] = (nats.errors.Error, OSError, TimeoutError)
"""What a broker outage looks like to a client: retry later, never treat as a verdict on the data."""


class EventPayload(BaseModel):
    """Base of every event payload: ids and non-identifying attributes only (no names, emails, ...).

    A subclass names its type (``"purchase.recorded"``), its payload version, the aggregate it
    belongs to (``"purchase"``) and the field holding that aggregate's id (``"purchase_id"`` by
    default). An aggregate type is owned by exactly one service, so ``purchase:42`` is unambiguous.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    version: ClassVar[int] = 1
    aggregate: ClassVar[str]
    aggregate_field: ClassVar[str | None] = None

    def aggregate_id(self) -> str:
        """``<aggregate>:<id>``: the key ``seq`` counts along, unique across aggregate types."""
        field = type(self).aggregate_field or f"{type(self).aggregate}_id"
        return f"{type(self).aggregate}:{getattr(self, field)}"


P = TypeVar("P", bound=EventPayload)


class BatchPayload(EventPayload):
    """Many new aggregates of one type announced in one event: a chunk of what an import created.

    The event's own aggregate is the import (``import:<id>``) and its seq the chunk's number. Each
    item stands for the single creation event of its aggregate (``item``: ``customer.created``, ...)
    and counts as that aggregate's seq 1, so the aggregate's next event, live or imported, is its
    seq 2. Items are compact: one JSON array per aggregate, its values in the order of ``fields``
    (the single event's field names, the aggregate's key first); a nested list of parts (a bill's
    lines) is an array of arrays in the order of ``part_fields``. ``records()`` gives them back as
    the single events' typed payloads.
    """

    aggregate = "import"

    item: ClassVar[builtins.type[EventPayload]]
    parts: ClassVar[dict[str, builtins.type[BaseModel]]] = {}

    import_id: int
    member: str
    fields: list[str]
    part_fields: dict[str, list[str]] = {}
    items: list[list[Any]]

    @classmethod
    def item_fields(cls) -> list[str]:
        """The single event's fields in their order, its aggregate's key first, as ``fields`` lists them."""
        key = cls.item.aggregate_field or f"{cls.item.aggregate}_id"
        names = list(cls.item.model_fields)
        return [key, *(name for name in names if name != key)]

    @classmethod
    def layout(cls) -> dict[str, Any]:
        """The fixed part of every such payload: member, fields and part_fields."""
        return {
            "member": cls.item.aggregate,
            "fields": cls.item_fields(),
            "part_fields": {name: list(part.model_fields) for name, part in cls.parts.items()},
        }

    @classmethod
    def of(cls, import_id: int, records: Iterable[EventPayload]) -> Self:
        """The batch payload of these single payloads (as the SQL writers build it, for tests and examples)."""
        fields = cls.item_fields()
        items = []
        for record in records:
            data = record.model_dump(mode="json")
            for name, part in cls.parts.items():
                data[name] = [[value[key] for key in part.model_fields] for value in data[name]]
            items.append([data[name] for name in fields])
        return cls(import_id=import_id, items=items, **cls.layout())

    def members(self) -> list[str]:
        return [f"{self.member}:{item[0]}" for item in self.items]

    def column(self, name: str) -> list[Any]:
        """One field's values over the items, as their JSON gives them (decimals as strings), in order.

        For set-based handlers that pass whole columns to SQL without building a model per item.
        """
        index = self.fields.index(name)
        return [item[index] for item in self.items]

    def records(self) -> list[EventPayload]:
        """Each item as the single event it stands for, validated by that event's model."""
        parts = {name: self.part_fields[name] for name in self.part_fields}
        records = []
        for item in self.items:
            values = dict(zip(self.fields, item, strict=True))
            for name, names in parts.items():
                values[name] = [dict(zip(names, part, strict=True)) for part in values[name]]
            records.append(type(self).item.model_validate(values))
        return records


def batch_members(payload: dict[str, Any]) -> list[str]:
    """The aggregates a batch event's payload announces (each at seq 1); none for a single event.

    Read from the raw payload, so a consumer that handles no batch type still knows them.
    """
    member, items = payload.get("member"), payload.get("items")
    if not isinstance(member, str) or not isinstance(items, list) or "fields" not in payload:
        return []
    return [f"{member}:{item[0]}" for item in items]


class Envelope(BaseModel):
    """What travels on the wire: ``{id, type, version, occurred_at, aggregate_id, seq, payload}``."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    type: str
    version: int
    occurred_at: AwareDatetime
    aggregate_id: str
    seq: int
    payload: dict[str, Any]

    @field_validator("occurred_at")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> "Envelope":
        return cls.model_validate_json(data)

    def payload_as(self, model: builtins.type[P]) -> P:
        """The payload as its typed model (a handler that wants validation and attribute access)."""
        # ``builtins.type``: inside this class ``type`` is the event type field.
        return model.model_validate(self.payload)


def subject(service: str, event_type: str) -> str:
    """``patron.<service>.<type>``, e.g. ``patron.customer.purchase.recorded``."""
    return f"{SUBJECT_ROOT}.{service}.{event_type}"


def service_subjects(service: str) -> str:
    """Every event of one service: a consumer filters per service so it sees all of an aggregate's events."""
    return f"{SUBJECT_ROOT}.{service}.>"


class EventCatalog:
    """The event types one service publishes, listed in one module so docs/events.md can be checked."""

    def __init__(self, service: str, types: Iterable[type[EventPayload]] = ()) -> None:
        self.service = service
        self._types: dict[str, type[EventPayload]] = {}
        for event_type in types:
            self.register(event_type)

    def register(self, event_type: type[P]) -> type[P]:
        """Add a payload type; usable as a class decorator."""
        name = event_type.event_type
        if name in self._types and self._types[name] is not event_type:
            raise ValueError(f"event type {name!r} is registered twice in {self.service!r}")
        self._types[name] = event_type
        return event_type

    def __contains__(self, event_type: object) -> bool:
        return isinstance(event_type, type) and self._types.get(getattr(event_type, "event_type", "")) is event_type

    def __iter__(self) -> Iterator[type[EventPayload]]:
        return iter(sorted(self._types.values(), key=lambda t: t.event_type))

    def get(self, name: str) -> type[EventPayload] | None:
        return self._types.get(name)

    def subject(self, event_type: str) -> str:
        return subject(self.service, event_type)

    def describe(self) -> list[dict[str, Any]]:
        """Type, version, subject and JSON schema of each payload, for docs and their check."""
        return [
            {
                "type": t.event_type,
                "version": t.version,
                "subject": self.subject(t.event_type),
                "aggregate": t.aggregate,
                "schema": t.model_json_schema(),
            }
            for t in self
        ]


def stream_config(
    *,
    name: str = STREAM_NAME,
    replicas: int = 1,
    duplicate_window_seconds: float = DEFAULT_DUPLICATE_WINDOW_SECONDS,
    max_age_seconds: float = 0,
    max_bytes: int = -1,
) -> StreamConfig:
    """One stream of all events, kept on disk; by default with no age or size limit, so any consumer
    can replay from the start.

    A size limit refuses new events when the stream is full (``DiscardPolicy.NEW``) rather than
    dropping old ones a consumer may not have read: the relay then retries and the events wait in
    the outbox. An age limit does drop old events, so a consumer rebuilt later replays only those left.
    """
    return StreamConfig(
        name=name,
        subjects=[f"{SUBJECT_ROOT}.>"],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.NEW,
        num_replicas=replicas,
        duplicate_window=duplicate_window_seconds,
        max_age=max_age_seconds or None,
        max_bytes=max_bytes,
    )


class StreamSettings(Protocol):
    events_stream_replicas: int
    events_stream_max_age_days: float
    events_stream_max_bytes: int
    events_duplicate_window_seconds: float


def configured_stream(settings: StreamSettings) -> StreamConfig:
    """The stream as a process's settings describe it (replicas, limits, duplicate window)."""
    return stream_config(
        replicas=settings.events_stream_replicas,
        duplicate_window_seconds=settings.events_duplicate_window_seconds,
        max_age_seconds=settings.events_stream_max_age_days * 86_400,
        max_bytes=settings.events_stream_max_bytes,
    )


async def ensure_stream(js: JetStreamContext, config: StreamConfig) -> None:
    """Create the stream, or bring an existing one to ``config`` (creating is idempotent when equal)."""
    try:
        await js.add_stream(config=config)
    except nats.js.errors.BadRequestError:
        # "stream name already in use with a different configuration": update it in place.
        await js.update_stream(config=config)


def servers(url: str) -> list[str]:
    """``PATRON_NATS_URL`` may list several servers of a cluster, comma-separated."""
    return [part.strip() for part in url.split(",") if part.strip()]


async def connect(url: str, *, name: str) -> NATS:
    """Connect, retrying the first connection until it succeeds; afterwards the client reconnects forever.

    ``url`` may name several servers (comma-separated); the client also learns a cluster's other
    servers from the one it reaches, and moves to them when that one goes away.
    """
    delay = 0.1
    while True:
        try:
            return await nats.connect(
                servers(url),
                name=name,
                max_reconnect_attempts=-1,
                reconnect_time_wait=1,
                connect_timeout=2,
                allow_reconnect=True,
                error_cb=_log_error,
                disconnected_cb=_log_disconnect,
                reconnected_cb=_log_reconnect,
            )
        except BROKER_ERRORS as exc:
            log.warning("NATS at %s unreachable (%s); retrying in %.1fs", url, exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


async def _log_error(exc: Exception) -> None:
    log.debug("NATS client error: %r", exc)


async def _log_disconnect() -> None:
    log.info("disconnected from NATS")


async def _log_reconnect() -> None:
    log.info("reconnected to NATS")


async def _quiet(exc: Exception) -> None:
    """The command line reports the error the connection raises; the client's own log would repeat it."""


async def describe_streams(url: str) -> list[str]:
    """One line per stream (messages, subjects) and per consumer (pending, waiting for ack)."""
    # One attempt per server, no reconnecting, errors raised rather than logged: a command line that
    # fails fast. (The client never gives up on a server with max_reconnect_attempts=0, so it is 1.)
    connection = await nats.connect(
        servers(url),
        connect_timeout=2,
        allow_reconnect=False,
        max_reconnect_attempts=1,
        reconnect_time_wait=0,
        error_cb=_quiet,
    )
    try:
        js = connection.jetstream()
        lines = []
        for stream in await js.streams_info():
            subjects = ", ".join(stream.config.subjects or [])
            lines.append(f"stream {stream.config.name}: {stream.state.messages} messages ({subjects})")
            for consumer in await js.consumers_info(stream.config.name or ""):
                lines.append(
                    f"  consumer {consumer.name}: {consumer.num_pending} pending, "
                    f"{consumer.num_ack_pending} awaiting ack, {consumer.num_redelivered} redelivered"
                )
        if not lines:
            lines.append("no streams yet (nothing has been published)")
        return lines
    finally:
        await connection.close()


async def finish_loop(task: "asyncio.Task[None] | None", grace: float) -> None:
    """Let a background loop (relay, consumer) finish what it holds for ``grace`` seconds, then cancel it."""
    if task is None:
        return
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout=grace)
    except TimeoutError:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
