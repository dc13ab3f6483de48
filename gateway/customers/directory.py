"""The customer service as the gateway's customer accounts need it: signed service calls only.

Every call is signed for the gateway's own service principal (``service:gateway``): only a service
may mark a customer as having a sign-in or change such a customer's username. Calls that create
carry an ``Idempotency-Key``, so a retry after a lost reply creates nothing twice.
"""

from typing import Any

from gateway.settings import GatewaySettings
from services.kit.client import ServiceClient, ServiceNotFound

CUSTOMERS = "/api/v1/customers"


class CustomerDirectory:
    """One pooled client of the customer service, kept for the gateway process's lifetime."""

    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    @classmethod
    def of(cls, settings: GatewaySettings) -> "CustomerDirectory":
        return cls(
            ServiceClient(
                "customer",
                settings.customer_url,
                caller="gateway",
                secret=settings.internal_secret.get_secret_value(),
                token_ttl_seconds=settings.internal_token_ttl_seconds,
                connect_timeout=settings.upstream_connect_timeout_seconds,
                read_timeout=settings.upstream_timeout_seconds,
            )
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def create(self, *, key: str, name: str, email: str, username: str) -> dict[str, Any]:
        """A new customer who signs in (``has_sign_in``); ``key`` makes a repeat return the first reply."""
        body = {"name": name, "email": email, "username": username, "has_sign_in": True}
        response = await self.client.post(CUSTOMERS, json=body, idempotency_key=key)
        created: dict[str, Any] = response.json()
        return created

    async def email_in_use(self, email: str) -> bool:
        response = await self.client.get(CUSTOMERS, params={"email": email, "limit": 1})
        return bool(response.json()["items"])

    async def read(self, customer_id: int) -> dict[str, Any] | None:
        """The customer, or None when there is none with this id."""
        try:
            response = await self.client.get(f"{CUSTOMERS}/{customer_id}")
        except ServiceNotFound:
            return None
        customer: dict[str, Any] = response.json()
        return customer

    async def may_sign_in(self, customer_id: int) -> bool:
        """Whether the customer exists and is active (a deactivated or deleted one may not sign in)."""
        customer = await self.read(customer_id)
        return customer is not None and customer["status"] == "active"

    async def update(self, customer_id: int, *, key: str, **changes: Any) -> dict[str, Any]:
        response = await self.client.patch(f"{CUSTOMERS}/{customer_id}", json=changes, idempotency_key=key)
        updated: dict[str, Any] = response.json()
        return updated

    async def delete(self, customer_id: int) -> None:
        """Delete the customer; one already gone is fine (a compensation may be repeated)."""
        try:
            await self.client.delete(f"{CUSTOMERS}/{customer_id}")
        except ServiceNotFound:
            return
