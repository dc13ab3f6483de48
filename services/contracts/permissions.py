"""The permission matrix: every public operation of Patron and who may call it (SPEC §6, "Roles").

One row per operation id (``{tag}-{name}``): the staff roles that may call it (an admin may call
everything), the partner scope that reaches it (the route family by tag, ``:read`` for reading and
``:write`` for changing; a ``:write`` key reads too), and whether a customer may call it: the
catalogue, or their own data only (``own`` names the path parameter that must be their id;
otherwise the route or its service keeps them to their own data). Other Patron services calling
(kind ``service``) may call everything, and they alone the services-only rows (a step between
services, such as allocating a reward, that no person does by hand). The gateway's own operations
(``auth-…``, ``staff-…``) are public (the ways to get a token: no credentials), open to any
signed-in staff user (their own password), a signed-in customer (their own account: the route acts
on the caller's only), or the admin's (staff accounts). The service owning a route enforces its row, the gateway
its own (``services.kit.permissions``); a route without a row stops its app from starting.
docs/security.md shows this table, and a test keeps the two in step.
"""

from services.kit.permissions import (
    CustomerAccess,
    Permission,
    Role,
    allow,
    any_staff,
    public,
    render,
    services_only,
)

CATALOGUE, OWN = CustomerAccess.CATALOGUE, CustomerAccess.OWN
MANAGER, CLERK, ANALYST = Role.MANAGER, Role.CLERK, Role.ANALYST

# fmt: off
PERMISSIONS: dict[str, Permission] = {
    # customers: clerks serve them; deleting one (without bills) is a manager's call
    "customers-create-customer":           allow(MANAGER, CLERK, scope="customers:write"),
    "customers-list-customers":            allow(MANAGER, CLERK, scope="customers:read"),
    "customers-read-customer":             allow(MANAGER, CLERK, scope="customers:read", own="customer_id"),
    "customers-update-customer":           allow(MANAGER, CLERK, scope="customers:write", own="customer_id"),
    "customers-deactivate-customer":       allow(MANAGER, CLERK, scope="customers:write"),
    "customers-reactivate-customer":       allow(MANAGER, CLERK, scope="customers:write"),
    "customers-delete-customer":           allow(MANAGER, scope="customers:write"),
    # purchases: a customer records and reads their own bills (checked by the purchases service)
    "purchases-record-purchase":           allow(MANAGER, CLERK, scope="purchases:write", customer=OWN),
    "purchases-list-purchases":            allow(MANAGER, CLERK, scope="purchases:read", customer=OWN),
    "purchases-read-purchase":             allow(MANAGER, CLERK, scope="purchases:read", customer=OWN),
    "purchases-cancel-purchase":           allow(MANAGER, CLERK, scope="purchases:write"),
    "purchases-return-purchase-lines":     allow(MANAGER, CLERK, scope="purchases:write"),
    "purchases-abandon-purchase":          services_only(),
    "purchases-customer-purchase-history": allow(MANAGER, CLERK, scope="purchases:read", own="customer_id"),
    # privacy: an export by a manager or the customer for itself; erasing and the audit are the admin's
    "privacy-export-customer":             allow(MANAGER, own="customer_id"),
    "privacy-read-export":                 allow(MANAGER, own="customer_id"),
    "privacy-download-export":             allow(MANAGER, own="customer_id"),
    "privacy-erase-customer":              allow(),
    "privacy-read-erasure":                allow(),
    "privacy-list-privacy-requests":       allow(),
    "privacy-loyalty-customer-data":       services_only(),
    "privacy-analytics-customer-data":     services_only(),
    # products: master data; clerks and customers read the catalogue
    "products-create-product":             allow(MANAGER, scope="products:write"),
    "products-list-products":              allow(MANAGER, CLERK, scope="products:read", customer=CATALOGUE),
    "products-read-product":               allow(MANAGER, CLERK, scope="products:read", customer=CATALOGUE),
    "products-update-product":             allow(MANAGER, scope="products:write"),
    "products-deactivate-product":         allow(MANAGER, scope="products:write"),
    "products-reactivate-product":         allow(MANAGER, scope="products:write"),
    "products-delete-product":             allow(MANAGER, scope="products:write"),
    # stock: clerks restock and read levels; adjustments are a manager's
    "stock-read-stock":                    allow(MANAGER, CLERK, scope="stock:read"),
    "stock-list-stock-movements":          allow(MANAGER, CLERK, scope="stock:read"),
    "stock-restock-suggestions":           allow(MANAGER, CLERK, scope="stock:read"),
    "stock-restock":                       allow(MANAGER, CLERK, scope="stock:write"),
    "stock-adjust-stock":                  allow(MANAGER, scope="stock:write"),
    # stores and exchange rates: master data
    "stores-create-store":                 allow(MANAGER, scope="stores:write"),
    "stores-list-stores":                  allow(MANAGER, scope="stores:read"),
    "stores-read-store":                   allow(MANAGER, scope="stores:read"),
    "stores-update-store":                 allow(MANAGER, scope="stores:write"),
    "exchange-rates-upsert-exchange-rates": allow(MANAGER, scope="exchange-rates:write"),
    "exchange-rates-list-exchange-rates":  allow(MANAGER, scope="exchange-rates:read"),
    "exchange-rates-lookup-exchange-rate": allow(MANAGER, scope="exchange-rates:read"),
    # imports
    "imports-create-import":               allow(MANAGER, scope="imports:write"),
    "imports-list-imports":                allow(MANAGER, scope="imports:read"),
    "imports-list-import-presets":         allow(MANAGER, scope="imports:read"),
    "imports-read-import":                 allow(MANAGER, scope="imports:read"),
    # the loyalty program: read by anyone signed in, changed by an admin or a manager
    "program-read-program":                allow(MANAGER, CLERK, ANALYST, scope="loyalty:read", customer=CATALOGUE),
    "program-list-program-versions":       allow(MANAGER, CLERK, ANALYST, scope="loyalty:read", customer=CATALOGUE),
    "program-change-program":              allow(MANAGER),
    # rewards: allocated by the customer service only; a customer reads their own, staff anyone's
    "rewards-allocate-reward":             services_only(),
    "rewards-list-customer-rewards":       allow(MANAGER, CLERK, scope="loyalty:read", own="customer_id"),
    "rewards-customer-reward-catalogue":   allow(MANAGER, CLERK, scope="loyalty:read", own="customer_id"),
    # redemptions: the customer service reserves and releases around a bill; no person does
    "redemptions-reserve-redemption":      services_only(),
    "redemptions-release-redemption":      services_only(),
    # wallets: a customer reads their own, staff anyone's; managers adjust; services credit earnings
    "wallet-read-wallet":                  allow(MANAGER, CLERK, scope="loyalty:read", own="customer_id"),
    "wallet-list-wallet-entries":          allow(MANAGER, CLERK, scope="loyalty:read", own="customer_id"),
    "wallet-adjust-wallet":                allow(MANAGER, scope="loyalty:write"),
    "wallet-earn-points":                  services_only(),
    # levels and groups: managers compute a month's levels; managers and analysts read them (clerks,
    # serving customers at the till, have no use for the whole month's marketing figures)
    "levels-compute-levels":               allow(MANAGER, scope="loyalty:write"),
    "levels-list-level-runs":              allow(MANAGER, ANALYST, scope="loyalty:read"),
    "levels-read-level-run":               allow(MANAGER, ANALYST, scope="loyalty:read"),
    "levels-list-levels":                  allow(MANAGER, ANALYST, scope="loyalty:read"),
    "levels-export-levels":                allow(MANAGER, ANALYST, scope="loyalty:read"),
    "levels-read-groups":                  allow(MANAGER, ANALYST, scope="loyalty:read"),
    "levels-list-group-members":           allow(MANAGER, ANALYST, scope="loyalty:read"),
    # budget allocations: managers allocate a month's budget; managers and analysts read the runs
    "budgets-allocate-budget":             allow(MANAGER, scope="loyalty:write"),
    "budgets-list-budget-runs":            allow(MANAGER, ANALYST, scope="loyalty:read"),
    "budgets-read-budget-run":             allow(MANAGER, ANALYST, scope="loyalty:read"),
    "budgets-list-budget-shares":          allow(MANAGER, ANALYST, scope="loyalty:read"),
    "budgets-export-budget-shares":        allow(MANAGER, ANALYST, scope="loyalty:read"),
    # targets: managers start runs, managers and analysts read them; a customer reads their own targets
    "targets-create-target-run":           allow(MANAGER, scope="loyalty:write"),
    "targets-list-target-runs":            allow(MANAGER, ANALYST, scope="loyalty:read"),
    "targets-read-target-run":             allow(MANAGER, ANALYST, scope="loyalty:read"),
    "targets-list-run-targets":            allow(MANAGER, ANALYST, scope="loyalty:read"),
    "targets-list-target-achievements":    allow(MANAGER, ANALYST, scope="loyalty:read"),
    "targets-list-customer-targets":       allow(MANAGER, CLERK, scope="loyalty:read", own="customer_id"),
    # the gateway's own: getting a token needs no credentials; staff accounts are the admin's
    "auth-sign-in":                        public(),
    "auth-token":                          public(),
    "auth-refresh":                        public(),
    "auth-sign-out":                       public(),
    "auth-accept-invitation":              public(),
    "auth-complete-password-reset":        public(),
    "auth-change-password":                any_staff(),
    # customers' own accounts: registering and signing in need nothing; the rest is the customer's
    "auth-register-customer":              public(),
    "auth-customer-sign-in":               public(),
    "auth-accept-customer-invitation":     public(),
    "auth-change-customer-password":       allow(customer=OWN),
    "auth-change-customer-username":       allow(customer=OWN),
    "customer-accounts-invite-customer":   allow(MANAGER, CLERK),
    "staff-list-staff-users":              allow(),
    "staff-read-staff-user":               allow(),
    "staff-invite-staff-user":             allow(),
    "staff-change-staff-roles":            allow(),
    "staff-issue-password-reset":          allow(),
    "staff-deactivate-staff-user":         allow(),
    "staff-reactivate-staff-user":         allow(),
    # partner keys: the admin's
    "api-keys-create-api-key":             allow(),
    "api-keys-list-api-keys":              allow(),
    "api-keys-read-api-key":               allow(),
    "api-keys-revoke-api-key":             allow(),
    # client keys of encrypted payloads: the admin's
    "client-keys-create-client-key":       allow(),
    "client-keys-list-client-keys":        allow(),
    "client-keys-read-client-key":         allow(),
    "client-keys-rotate-client-key":       allow(),
    "client-keys-retire-client-key":       allow(),
    # analytics: reports over the star schema; analysts, managers (and admins), partners with analytics:read
    "analytics-status":                    allow(MANAGER, ANALYST, scope="analytics:read"),
    "sales-summary":                       allow(MANAGER, ANALYST, scope="analytics:read"),
    "sales-over-time":                     allow(MANAGER, ANALYST, scope="analytics:read"),
    "sales-seasonality":                   allow(MANAGER, ANALYST, scope="analytics:read"),
    "sales-by-dimension":                  allow(MANAGER, ANALYST, scope="analytics:read"),
    "customer-analytics-distribution":     allow(MANAGER, ANALYST, scope="analytics:read"),
    "customer-analytics-patterns":         allow(MANAGER, ANALYST, scope="analytics:read"),
    "customer-analytics-preferences":      allow(MANAGER, ANALYST, scope="analytics:read"),
    "customer-analytics-repeat-purchases": allow(MANAGER, ANALYST, scope="analytics:read"),
    "customer-analytics-spend-per-quarter": allow(MANAGER, ANALYST, scope="analytics:read"),
    "customer-analytics-top":              allow(MANAGER, ANALYST, scope="analytics:read"),
    "customer-analytics-new-vs-returning": allow(MANAGER, ANALYST, scope="analytics:read"),
    "customer-analytics-cohorts":          allow(MANAGER, ANALYST, scope="analytics:read"),
    "product-analytics-ranking":           allow(MANAGER, ANALYST, scope="analytics:read"),
    "product-analytics-profitability":     allow(MANAGER, ANALYST, scope="analytics:read"),
    "product-analytics-low-stock":         allow(MANAGER, ANALYST, scope="analytics:read"),
    "rfm-create-run":                      allow(MANAGER, ANALYST, scope="analytics:write"),
    "rfm-list-runs":                       allow(MANAGER, ANALYST, scope="analytics:read"),
    "rfm-read-run":                        allow(MANAGER, ANALYST, scope="analytics:read"),
    "rfm-run-segments":                    allow(MANAGER, ANALYST, scope="analytics:read"),
    "rfm-run-members":                     allow(MANAGER, ANALYST, scope="analytics:read"),
    "rfm-run-customer":                    allow(MANAGER, ANALYST, scope="analytics:read"),
    "rfm-movements":                       allow(MANAGER, ANALYST, scope="analytics:read"),
    "clv-summary":                         allow(MANAGER, ANALYST, scope="analytics:read"),
    "clv-customer-summary":                allow(MANAGER, ANALYST, scope="analytics:read"),
    "clv-create-fit":                      allow(MANAGER, ANALYST, scope="analytics:write"),
    "clv-fits":                            allow(MANAGER, ANALYST, scope="analytics:read"),
    "clv-fit":                             allow(MANAGER, ANALYST, scope="analytics:read"),
    "clv-predictions":                     allow(MANAGER, ANALYST, scope="analytics:read"),
    "clv-totals":                          allow(MANAGER, ANALYST, scope="analytics:read"),
    "loyalty-analytics-customers":         allow(MANAGER, ANALYST, scope="analytics:read"),
    "loyalty-analytics-rewards-by":        allow(MANAGER, ANALYST, scope="analytics:read"),
    "loyalty-analytics-rewards-over-time": allow(MANAGER, ANALYST, scope="analytics:read"),
    "loyalty-analytics-reward-highlights": allow(MANAGER, ANALYST, scope="analytics:read"),
    "loyalty-analytics-product-boost":     allow(MANAGER, ANALYST, scope="analytics:read"),
    "loyalty-analytics-trending":          allow(MANAGER, ANALYST, scope="analytics:read"),
    "loyalty-analytics-sales-lift":        allow(MANAGER, ANALYST, scope="analytics:read"),
    "loyalty-analytics-around-claims":     allow(MANAGER, ANALYST, scope="analytics:read"),
    "loyalty-analytics-points":            allow(MANAGER, ANALYST, scope="analytics:read"),
}
# fmt: on

# The gateway answers these route families itself (SPEC §6); the services answer every other row.
GATEWAY_TAGS = ("auth", "staff", "api-keys", "client-keys", "customer-accounts")


def is_gateway_operation(operation_id: str) -> bool:
    """Whether the gateway, not a service, owns the operation (its id starts with a gateway tag)."""
    return any(operation_id.startswith(f"{tag}-") for tag in GATEWAY_TAGS)


SERVICE_PERMISSIONS = {operation: row for operation, row in PERMISSIONS.items() if not is_gateway_operation(operation)}

SECTION_START = "<!-- permission matrix: generated from services/contracts/permissions.py -->"
SECTION_END = "<!-- end of permission matrix -->"


def permissions_section() -> str:
    """The matrix section of docs/security.md, rendered from ``PERMISSIONS``."""
    return f"{SECTION_START}\n\n{render(PERMISSIONS)}\n{SECTION_END}\n"


def with_permissions_section(document: str) -> str:
    """``document`` (docs/security.md) with its matrix section replaced by the current one."""
    start, end = document.index(SECTION_START), document.index(SECTION_END) + len(SECTION_END) + 1
    return document[:start] + permissions_section() + document[end:]


if __name__ == "__main__":  # python -m services.contracts.permissions docs/security.md
    import sys
    from pathlib import Path

    target = Path(sys.argv[1])
    target.write_text(with_permissions_section(target.read_text()))
