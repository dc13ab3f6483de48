"""What a bill redeems, reserved with the loyalty service before the bill is recorded (SPEC §3.1, §3.5).

The reservation is keyed by the bill's purchase id, drawn before its transaction, so asking again is
harmless. A reservation whose bill fails is released at once, behind the fence (the loyalty service
first fences the purchase id off here); one whose release cannot be asked now (loyalty did not answer)
is released by the loyalty service's own sweep after its deadline.
"""

import logging
from decimal import Decimal

from services.customer.purchases.plan import BillIds, BillRequest, Redemption
from services.kit.client import ServiceClient, ServiceConflict, ServiceError, ServiceInvalidInput
from services.kit.errors import BadGateway, Conflict, FieldError, InvalidInput

RESERVE = "/api/v1/loyalty/redemptions"
RELEASE = "/api/v1/loyalty/redemptions/{purchase_id}/release"

log = logging.getLogger("patron.customer.redemptions")


def redeems(request: BillRequest) -> bool:
    return request.data.reward_token is not None or request.data.points is not None


async def reserve(client: ServiceClient, request: BillRequest, ids: BillIds) -> Redemption:
    """Reserve the bill's reward and points; a token or points that do not apply are refused (422, 409)."""
    body = {
        "purchase_id": ids.purchase_id,
        "customer_id": request.customer_id,
        "reward_token": request.data.reward_token,
        "points": request.data.points,
        "product_ids": request.product_ids,
    }
    try:
        answer = (await client.post(RESERVE, json=body)).json()
    except ServiceInvalidInput as exc:
        # The loyalty service names the field as this bill's body has it (body.reward_token, body.points).
        raise InvalidInput(
            exc.detail,
            errors=[FieldError(e["field"], e["message"], e.get("code", "invalid")) for e in exc.errors if "field" in e],
        ) from exc
    except ServiceConflict as exc:
        raise Conflict(exc.detail) from exc
    except ServiceError as exc:
        await release(client, ids.purchase_id)  # it may have reserved before it failed to answer
        raise BadGateway("the loyalty service did not reserve the reward or points; the bill was not recorded") from exc
    reward = answer["reward"]
    return Redemption(
        reward_product_id=reward["product_id"] if reward else None,
        reward_percent=reward["percent"] if reward else None,
        points=answer["points"],
        points_value=Decimal(answer["points_value"]),
    )


async def release(client: ServiceClient, purchase_id: int) -> None:
    """Ask the loyalty service to release the failed bill's reservation now; never raises (its sweep is the
    fallback)."""
    try:
        await client.post(RELEASE.format(purchase_id=purchase_id))
    except ServiceError as exc:
        log.warning("reservation of purchase %d not released now (the loyalty sweep will): %s", purchase_id, exc)
