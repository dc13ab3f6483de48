"""Who a public request acts for: the one place that turns a caller into an internal principal.

Staff sign-in, API keys and customer tokens replace the development principal here when they
arrive; nothing else in the gateway needs to change.
"""

from fastapi import Request

from gateway.settings import GatewaySettings
from services.kit.errors import Unauthorized
from services.kit.principal import Principal, PrincipalKind

DEVELOPMENT_PRINCIPAL = Principal(kind=PrincipalKind.STAFF, subject="staff:development", roles=["admin"])


def resolve_principal(request: Request, settings: GatewaySettings) -> Principal:
    if settings.development_principal:
        return DEVELOPMENT_PRINCIPAL
    raise Unauthorized("authentication required", headers={"WWW-Authenticate": "Bearer"})
