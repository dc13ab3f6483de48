"""/docs needs nothing but the gateway, and the gateway's metrics name a forwarded request's route template."""

import re
import shutil
import subprocess
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx2
import pytest

from gateway.auth.guard import OWN_FAMILIES
from gateway.route_labels import UNMATCHED, RouteLabels
from services.kit.metrics import HttpMetrics
from tests.support.accounts import bearer

pytestmark = pytest.mark.timeout(300)

ASSET_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png", ".ico": "image/"}
# Chromium's traffic annotation hashes of the requests a page makes.
PAGE_ANNOTATIONS = {
    "navigation_url_loader": "63171670",
    "blink_resource_loader": "101845102",
    "favicon_loader": "112189210",
}


class _References(HTMLParser):
    """Every URL a page makes the browser fetch: script and image sources, stylesheet and icon links."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href"):
            if values.get(name):
                self.urls.append(str(values[name]))


def test_docs_load_every_asset_from_the_gateway_itself(stack):
    gateway = stack["gateway"]
    page = httpx2.get(f"{gateway}/docs", timeout=30)
    assert page.status_code == 200
    references = _References()
    references.feed(page.text)
    assert len(references.urls) >= 3, references.urls  # the bundle, its stylesheet and the icon
    origin = urlsplit(gateway)
    for reference in references.urls:
        url = urljoin(f"{gateway}/docs", reference)
        assert urlsplit(url)[:2] == origin[:2], f"{reference} is not served by the gateway"
        response = httpx2.get(url, timeout=30)
        assert response.status_code == 200, reference
        suffix = re.search(r"\.[a-z]+$", urlsplit(url).path)
        assert suffix is not None, reference
        assert ASSET_TYPES[suffix.group()] in response.headers["content-type"], (reference, response.headers)
        assert len(response.content) > 100, reference
    # The page itself names no other host: no CDN, no external icon.
    assert not re.findall(r"https?://(?!127\.0\.0\.1|localhost)", page.text)
    assert "persistAuthorization" in page.text and "/openapi.json" in page.text
    bundle = httpx2.get(urljoin(f"{gateway}/docs", next(u for u in references.urls if u.endswith(".js"))), timeout=30)
    assert "SwaggerUIBundle" in bundle.text


def _documents() -> dict[str, dict[str, dict[str, object]]]:
    return {
        "customer": {
            "paths": {
                "/api/v1/customers": {},
                "/api/v1/customers/{customer_id}": {},
                "/api/v1/customers/{customer_id}/purchases": {},
                "/api/v1/products/restock-suggestions": {},
                "/api/v1/products/{product_id}": {},
                "/internal/anything": {},  # not routed to by the gateway: never a template
            }
        },
        "loyalty": {"paths": {"/api/v1/loyalty/customers/{customer_id}/wallet": {}}},
    }


def test_route_labels_are_templates_never_raw_paths():
    labels = RouteLabels(OWN_FAMILIES)
    # Before the services' documents are read: the service's prefix only.
    assert labels("/api/v1/customers/8412") == ("/api/v1/customers/*", "customer")
    assert labels("/api/v1/analytics/reports/x") == ("/api/v1/analytics/*", "analytics")
    labels.learn(_documents())
    assert labels.known == {"customer", "loyalty"}
    assert labels("/api/v1/customers") == ("/api/v1/customers", "customer")
    assert labels("/api/v1/customers/8412") == ("/api/v1/customers/{customer_id}", "customer")
    assert labels("/api/v1/customers/8412/purchases") == ("/api/v1/customers/{customer_id}/purchases", "customer")
    assert labels("/api/v1/products/restock-suggestions") == ("/api/v1/products/restock-suggestions", "customer")
    assert labels("/api/v1/products/77") == ("/api/v1/products/{product_id}", "customer")
    assert labels("/api/v1/loyalty/customers/5/wallet") == ("/api/v1/loyalty/customers/{customer_id}/wallet", "loyalty")
    # A path its service has no template for, or no service owns, is unmatched; the raw path never shows.
    assert labels("/api/v1/customers/8412/nothing") == (UNMATCHED, "customer")
    assert labels("/api/v1/customers/") == (UNMATCHED, "customer")
    assert labels("/api/v1/no-such-area/8412") == (UNMATCHED, "")
    assert labels("/api/v1/analytics/reports/x") == ("/api/v1/analytics/*", "analytics")  # still unread
    # The gateway's own operations and paths outside the API are its routes' to name.
    assert labels("/api/v1/auth/token") is None
    assert labels("/docs") is None


def test_only_the_gateways_metrics_carry_an_upstream_label():
    assert "upstream" not in HttpMetrics("customer").latency._labelnames
    assert HttpMetrics("gateway", forwarded=RouteLabels(OWN_FAMILIES)).latency._labelnames[-1] == "upstream"


def _series(gateway: str) -> list[str]:
    text = httpx2.get(f"{gateway}/metrics", timeout=30).text
    return [line for line in text.splitlines() if line.startswith("patron_http_requests_total{")]


def test_the_gateway_labels_forwarded_requests_by_template_and_service(stack):
    gateway = stack["gateway"]
    with httpx2.Client(base_url=gateway, headers=bearer(stack["token"]), timeout=30) as client:
        # The templates are read in the background soon after start (and with every contract read).
        deadline = time.monotonic() + 30
        while not any('route="/api/v1/customers"' in line for line in _series(gateway)):
            assert time.monotonic() < deadline, _series(gateway)
            assert client.get("/api/v1/customers").status_code == 200
            time.sleep(0.5)
        assert client.get("/api/v1/customers/987654").status_code == 404
        assert client.get("/api/v1/products/876543/stock").status_code in (200, 404)
        assert client.get("/api/v1/no-such-area/765432").status_code == 404
        assert client.get("/api/v1/customers/654321/no-such-thing").status_code == 404
    series = _series(gateway)
    joined = "\n".join(series)

    def has(route: str, upstream: str, status: str) -> bool:
        return any(
            f'route="{route}"' in line and f'upstream="{upstream}"' in line and f'status="{status}"' in line
            for line in series
        )

    assert has("/api/v1/customers", "customer", "200"), joined
    assert has("/api/v1/customers/{customer_id}", "customer", "404"), joined
    assert any('route="/api/v1/products/{product_id}/stock"' in line for line in series), joined
    assert has(UNMATCHED, "", "404"), joined
    assert has(UNMATCHED, "customer", "404"), joined
    assert 'route="/api/v1/{path}"' not in joined  # the forwarding route's catch-all is never a label
    for raw in ("987654", "876543", "765432", "654321", "no-such"):
        assert raw not in joined
    # The gateway's own operations (the fixture's sign-in) keep their route templates, with no upstream.
    assert any('route="/api/v1/auth/' in line and 'upstream=""' in line for line in series), joined


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs a headless chromium")
def test_docs_render_in_a_browser_that_can_reach_nothing_but_the_gateway(stack, tmp_path):
    gateway = stack["gateway"]
    net_log = tmp_path / "net-log.json"
    rendered = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            # Any host but the gateway's resolves to nothing, so a CDN would leave the page bare.
            f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {urlsplit(gateway).hostname}",
            f"--log-net-log={net_log}",
            "--virtual-time-budget=15000",
            "--dump-dom",
            f"{gateway}/docs",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "swagger-ui" in rendered and "opblock" in rendered, rendered[:2000]  # the operations are drawn
    assert "authorize" in rendered.lower()  # the sign-in button of the password flow
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(gateway))
    # The page's own requests, by their traffic annotation (the browser's updates, clock and dictionary
    # checks carry others): the navigation, blink's resource loader (scripts, styles, fetches), the favicon.
    requested = {
        url
        for annotation, url in re.findall(r'"traffic_annotation":(\d+),"url":"(https?://[^"]+)"', net_log.read_text())
        if annotation in PAGE_ANNOTATIONS.values()
    }
    assert {f"{origin}docs", f"{origin}docs/assets/swagger-ui-bundle.js", f"{origin}openapi.json"} <= requested
    elsewhere = sorted(url for url in requested if not url.startswith(origin))
    assert not elsewhere, elsewhere
