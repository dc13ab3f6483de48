"""What crosses the API about privacy requests: exports, erasures and their progress, the audit list."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class RequestKind(StrEnum):
    EXPORT = "export"
    ERASURE = "erasure"


class RequestState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ServiceProgress(StrEnum):
    DONE = "done"
    PENDING = "pending"  # the service has not applied the erasure yet (it will when it reads its events)
    UNREACHABLE = "unreachable"  # the service did not answer the question just now


_REQUEST_EXAMPLE: dict[str, Any] = {
    "id": 12,
    "kind": "export",
    "customer_id": 301,
    "requested_by": "staff:4",
    "state": "done",
    "outcome": None,
    "requested_at": "2026-11-30T10:15:00Z",
    "finished_at": "2026-11-30T10:15:02Z",
}


class PrivacyRequestPublic(BaseModel):
    """One export or erasure: who asked (a principal's id, never a name), when, for which customer, the outcome."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_REQUEST_EXAMPLE]})

    id: int
    kind: RequestKind
    customer_id: int
    requested_by: str = Field(description="Who asked: `staff:<id>`, `customer:<id>`, `key:<id>` or a service.")
    state: RequestState
    outcome: str | None = Field(None, description="Why it failed, when it did (no personal data).")
    requested_at: datetime
    finished_at: datetime | None


class PrivacyRequestsPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_REQUEST_EXAMPLE], "next_cursor": "eyJhZnRlciI6IDEyfQ"}]}
    )

    items: list[PrivacyRequestPublic]
    next_cursor: str | None


class ServiceErasure(BaseModel):
    service: str
    state: ServiceProgress


class ErasurePublic(PrivacyRequestPublic):
    """An erasure and where each service stands with it; ``done`` once every service applied it."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    # A finished one: the published contract drops null values, so an example has none.
                    **_REQUEST_EXAMPLE,
                    "kind": "erasure",
                    "services": [
                        {"service": "customer", "state": "done"},
                        {"service": "loyalty", "state": "done"},
                        {"service": "analytics", "state": "done"},
                        {"service": "gateway", "state": "done"},
                    ],
                }
            ]
        },
    )

    services: list[ServiceErasure]


class ExportDocument(BaseModel):
    """Everything Patron holds about one customer, one part per service that holds it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "export_id": 12,
                    "customer_id": 301,
                    "generated_at": "2026-11-30T10:15:02Z",
                    "parts": {
                        "customer": {"service": "customer", "customer_id": 301, "tables": {"customer": [{"id": 301}]}},
                        "loyalty": {"service": "loyalty", "customer_id": 301, "tables": {"wallet_entry": []}},
                    },
                }
            ]
        }
    )

    export_id: int
    customer_id: int
    generated_at: datetime
    parts: dict[str, dict[str, Any]] = Field(description="Each service's part, labelled with the service.")
