"""Event contracts: the payload models a service publishes, one module per producing service.

Producers write these models to their outbox and consumers read them back typed; both import them
from here, so a service never needs another service's code to understand its events. A contract
module depends on the kit alone (``services.kit.events``), never on a service.
"""

from services.contracts import customer, loyalty
from services.kit.events import EventCatalog, EventPayload

CATALOGS: tuple[EventCatalog, ...] = (customer.catalog, loyalty.catalog)
"""Every producing service's catalog, in the order docs/events.md lists them."""

EXAMPLES: dict[str, dict[str, EventPayload]] = {
    customer.catalog.service: customer.EXAMPLES,
    loyalty.catalog.service: loyalty.EXAMPLES,
}
"""One example payload per event type, per service: the examples of docs/events.md."""


def events_document() -> str:
    """docs/events.md, rendered from every catalog and its examples."""
    from services.kit.event_docs import render

    return render([(catalog, EXAMPLES[catalog.service]) for catalog in CATALOGS])
