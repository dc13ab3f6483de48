"""What a service answers when the customer service gathers a customer's data for a privacy export or
follows an erasure: its rows about the customer, table by table, and whether it applied the erasure."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# The services asked for their part, in the order of the document.
SERVICES = ("customer", "loyalty", "analytics", "gateway")


class CustomerDataPart(BaseModel):
    """One service's part of a customer's export."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "service": "loyalty",
                    "customer_id": 301,
                    "tables": {"wallet_entry": [{"id": 7, "customer_id": 301, "points": 120}]},
                    "erasure_applied": None,
                }
            ]
        }
    )

    service: str
    customer_id: int
    tables: dict[str, list[dict[str, Any]]] = Field(
        description="Each table of the service naming the customer, with its rows about them (no secrets)."
    )
    erasure_applied: bool | None = Field(
        None, description="Whether the service has applied the erasure event asked about; null when none was."
    )
