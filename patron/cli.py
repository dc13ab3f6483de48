"""``patron``: the command line of a Patron deployment."""

import os
import sys
from pathlib import Path
from typing import Any

import typer

from patron.services import SCHEMA_OWNERS
from patron.settings import CommandLineSettings
from services.kit.settings import PatronSettings

KEEP_ALIVE_SECONDS = 75

app = typer.Typer(help="Patron: customer, loyalty and analytics backend for retailers.", no_args_is_help=True)


@app.callback()
def main() -> None:
    """Patron's command line."""


@app.command()
def migrate(
    database_url: str | None = typer.Option(None, help="PostgreSQL URL; defaults to PATRON_DATABASE_URL."),
    service: list[str] = typer.Option([], "--service", "-s", help="Only these services or gateway (repeatable)."),
) -> None:
    """Apply every service's migrations and the gateway's, each in its own schema."""
    from services.kit.migrations import upgrade

    url = database_url or PatronSettings().database_url
    unknown = set(service) - {spec.name for spec in SCHEMA_OWNERS}
    if unknown:
        raise typer.BadParameter(f"unknown service(s): {', '.join(sorted(unknown))}", param_hint="--service")
    for spec in SCHEMA_OWNERS:
        if service and spec.name not in service:
            continue
        upgrade(spec.package, url)
        typer.echo(f"{spec.name}: migrated")


@app.command()
def serve(
    name: str = typer.Argument(..., help="customer, loyalty, analytics or gateway"),
    host: str | None = typer.Option(None, help="Address to listen on (default from settings)."),
    port: int | None = typer.Option(None, help="Port to listen on (default from settings)."),
    workers: int | None = typer.Option(None, min=1, help="Worker processes (default from settings)."),
) -> None:
    """Run one service in the foreground, as a container or a process supervisor would."""
    import importlib

    import uvicorn
    from pydantic import ValidationError

    from patron.ports import port_in_use
    from patron.server import HEADER_TIMEOUT_VARIABLE, CoalescingHttpToolsProtocol
    from services.kit.settings import settings_refusal

    specs = {spec.name: spec for spec in SCHEMA_OWNERS}
    if name not in specs:
        raise typer.BadParameter(f"unknown service {name!r}", param_hint="NAME")
    spec = specs[name]
    module_name, _, attr = spec.factory.partition(":")
    try:
        application = getattr(importlib.import_module(module_name), attr)()
    except ValidationError as exc:
        # One line a person reads (and `patron up` repeats), not a traceback.
        typer.echo(f"patron serve {name}: {settings_refusal(exc, spec.settings_class())}", err=True)
        raise typer.Exit(2) from None
    settings = application.state.settings
    host, port = host or settings.host, port or settings.port
    if port_in_use(host, port):
        prefix = spec.settings_class().model_config.get("env_prefix", "PATRON_")
        typer.echo(
            f"patron serve {name}: port {port} on {host} is in use: choose another with --port or {prefix}PORT",
            err=True,
        )
        raise typer.Exit(2)
    processes = workers or settings.workers
    os.environ[HEADER_TIMEOUT_VARIABLE] = str(settings.header_timeout_seconds)  # read by every worker
    uvicorn.run(
        # Several workers each build their own app from the factory (the settings come from the environment).
        spec.factory if processes > 1 else application,
        factory=processes > 1,
        workers=processes,
        host=host,
        port=port,
        log_config=None,
        http=CoalescingHttpToolsProtocol,
        proxy_headers=False,
        server_header=False,
        # Longer than any pooled client keeps an idle connection (the gateway's pool, a load balancer's
        # 60 s), so the client, not the server, closes it: no request meets a connection being closed.
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


def _data_dir(data_dir: Path | None) -> Path:
    return (data_dir or CommandLineSettings().data_dir).resolve()


@app.command()
def up(
    data_dir: Path | None = typer.Option(
        None, help="Where embedded servers keep data (default .patron or PATRON_DATA_DIR)."
    ),
    host: str = typer.Option("127.0.0.1", help="Loopback address every process listens on."),
    gateway_port: int = typer.Option(8000, help="Port of the gateway, the public entry."),
    customer_port: int = typer.Option(0, help="Port of the customer service (0: a free one)."),
    loyalty_port: int = typer.Option(0, help="Port of the loyalty service (0: a free one)."),
    analytics_port: int = typer.Option(0, help="Port of the analytics service (0: a free one)."),
    nats_port: int = typer.Option(0, help="Port of the embedded NATS server (0: a free one)."),
    demo: bool = typer.Option(False, "--demo", help="Once up, load the demo retailer as `patron demo` does."),
    demo_customers: int = typer.Option(20_000, min=1, help="Customers of that demo retailer (with --demo)."),
) -> None:
    """Start the whole system: database and NATS (embedded unless configured), migrations, services, gateway."""
    from patron.up import Plan, run

    ports = {"gateway": gateway_port, "customer": customer_port, "loyalty": loyalty_port, "analytics": analytics_port}
    settings = CommandLineSettings()
    plan = Plan(
        data_dir=(data_dir or settings.data_dir).resolve(),
        host=host,
        ports={name: port for name, port in ports.items() if port},
        database_url=settings.database_url,
        nats_url=settings.nats_url,
        nats_port=nats_port or None,
    )
    demo_size = demo_customers if demo else None
    raise typer.Exit(run(plan, lambda line: typer.echo(line, err=True), demo_customers=demo_size))


@app.command()
def status(
    data_dir: Path | None = typer.Option(None, help="The data folder of the `patron up` to ask about."),
) -> None:
    """Say what `patron up` is running and whether each process is ready."""
    from patron.up import status as read_status

    healthy, lines = read_status(_data_dir(data_dir))
    for line in lines:
        typer.echo(line)
    raise typer.Exit(0 if healthy else 1)


@app.command()
def settings(
    readme: Path | None = typer.Option(None, help="Rewrite the configuration table inside this README in place."),
) -> None:
    """Print the configuration table: every environment variable, its default and meaning."""
    from patron.settings_table import render, replace_in

    if readme is None:
        typer.echo(render())
    else:
        readme.write_text(replace_in(readme.read_text()))


users_app = typer.Typer(help="Staff accounts on the configured database (PATRON_DATABASE_URL).", no_args_is_help=True)
app.add_typer(users_app, name="users")


def _new_password() -> str:
    """Prompted twice on a terminal; otherwise the first line of standard input."""
    if sys.stdin.isatty():
        password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        return password
    return sys.stdin.readline().rstrip("\r\n")


@users_app.command("create-admin")
def users_create_admin(email: str = typer.Argument(..., help="The new admin's email.")) -> None:
    """Create an admin (the first one, or another); the password is prompted or read from stdin."""
    from gateway.auth.passwords import PasswordRejected
    from gateway.auth.service import EmailTaken
    from gateway.settings import GatewaySettings
    from patron.users import create_admin

    if "@" not in email:
        raise typer.BadParameter("an email address is needed", param_hint="EMAIL")
    try:
        user_id = create_admin(GatewaySettings(), email, _new_password())
    except PasswordRejected as exc:
        typer.echo(f"password refused: {exc}", err=True)
        raise typer.Exit(1) from None
    except EmailTaken:
        typer.echo(f"a staff user with email {email} exists already", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"admin {email} created (id {user_id})")


@users_app.command("reset-password")
def users_reset_password(email: str = typer.Argument(..., help="The staff user's email.")) -> None:
    """Set a staff user's password (prompted or read from stdin) and end the user's sign-ins."""
    from gateway.auth.passwords import PasswordRejected
    from gateway.auth.service import UnknownUser
    from gateway.settings import GatewaySettings
    from patron.users import reset_password

    try:
        reset_password(GatewaySettings(), email, _new_password())
    except PasswordRejected as exc:
        typer.echo(f"password refused: {exc}", err=True)
        raise typer.Exit(1) from None
    except UnknownUser:
        typer.echo(f"no staff user has email {email}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"password of {email} changed; its sign-ins are ended")


events_app = typer.Typer(help="The event stream: streams, consumers, pending counts, and the event catalog.")
app.add_typer(events_app, name="events")


@events_app.callback(invoke_without_command=True)
def events(
    ctx: typer.Context,
    nats_url: str | None = typer.Option(
        None, help="NATS URL (default: PATRON_NATS_URL, else the NATS of the running `patron up`)."
    ),
    data_dir: Path | None = typer.Option(None, help="The data folder of the `patron up` to ask about."),
) -> None:
    """Show streams, their consumers and each consumer's pending count."""
    if ctx.invoked_subcommand is not None:
        return
    import asyncio

    from patron.running import NotRunning
    from patron.running import nats_url as running_nats_url
    from services.kit.events import describe_streams

    try:
        url = running_nats_url(nats_url or CommandLineSettings().nats_url, _data_dir(data_dir))
    except NotRunning as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    try:
        lines = asyncio.run(describe_streams(url))
    except Exception as exc:  # the broker's own error says most; this is a command line
        typer.echo(f"cannot read the event streams at {url}: {exc or type(exc).__name__}", err=True)
        raise typer.Exit(1) from None
    for line in lines:
        typer.echo(line)


@events_app.command("docs")
def events_docs(
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
) -> None:
    """Write docs/events.md from the event catalogs."""
    from services.contracts import events_document

    text = events_document()
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text)


_URL_HELP = "Gateway URL (default: PATRON_URL, the gateway of `patron sign-in`, else of the running `patron up`)."


def _gateway(url: str | None) -> "tuple[str, Any]":
    """The gateway to call and the bearer auth for it; a clear message and exit 1 when not signed in."""
    from patron.credentials import NotSignedIn, gateway_access
    from patron.running import NotRunning

    settings = CommandLineSettings()
    try:
        token = settings.access_token.get_secret_value() if settings.access_token else None
        return gateway_access(url or settings.url, settings.data_dir.resolve(), token)
    except (NotSignedIn, NotRunning) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


def _password() -> str:
    """Prompted once on a terminal; otherwise the first line of standard input."""
    if sys.stdin.isatty():
        password: str = typer.prompt("Password", hide_input=True)
        return password
    return sys.stdin.readline().rstrip("\r\n")


@app.command("sign-in")
def sign_in(
    email: str = typer.Option("admin@localhost", help="The staff user to sign in as."),
    url: str | None = typer.Option(None, help=_URL_HELP),
) -> None:
    """Sign the command line in (password prompted, or read from stdin); kept in <data-dir>/credentials.json."""
    import httpx2

    from patron.credentials import GatewayRefused, credentials_path
    from patron.credentials import sign_in as keep_sign_in
    from patron.running import NotRunning, gateway_url

    settings = CommandLineSettings()
    data_dir = settings.data_dir.resolve()
    try:
        base = gateway_url(url or settings.url, data_dir)
    except NotRunning as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    password = _password()
    try:
        keep_sign_in(base, email, password, credentials_path(data_dir))
    except httpx2.TransportError as exc:
        typer.echo(f"cannot reach Patron at {base}: {exc} (is `patron up` running?)", err=True)
        raise typer.Exit(2) from None
    except GatewayRefused as exc:
        typer.echo(f"sign-in refused: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"signed in as {email} at {base}")


@app.command("sign-out")
def sign_out() -> None:
    """End the command line's sign-in at its gateway and delete <data-dir>/credentials.json."""
    import httpx2

    from patron.credentials import GatewayRefused, NotSignedIn, credentials_path
    from patron.credentials import sign_out as end_sign_in

    path = credentials_path(CommandLineSettings().data_dir.resolve())
    try:
        ended = end_sign_in(path)
    except NotSignedIn as exc:
        path.unlink(missing_ok=True)
        typer.echo(f"{exc}; removed it", err=True)
        return
    except (httpx2.TransportError, GatewayRefused) as exc:
        typer.echo(
            f"signed out here, but the gateway could not end the sign-in ({exc}); it expires on its own", err=True
        )
        raise typer.Exit(1) from None
    typer.echo("not signed in" if ended is None else f"signed out {ended.email} at {ended.gateway_url}")


def _run_import(files: list[Path], *, preset: str, url: str | None, fields: dict[str, str], wait: bool) -> None:
    """Upload ``files`` as one import job with an upload bar, then follow the job with a rows bar."""
    import httpx2

    from patron.credentials import GatewayRefused, NotSignedIn
    from patron.importing import ImportFailed, expand, follow, summary, upload

    paths = expand(files)
    missing = [str(path) for path in paths if not path.is_file()]
    if not paths or missing:
        raise typer.BadParameter(f"no such file: {', '.join(missing) or 'none given'}", param_hint="FILES")
    base, auth = _gateway(url)
    total = sum(path.stat().st_size for path in paths)
    try:
        with httpx2.Client(base_url=base, auth=auth, timeout=httpx2.Timeout(300, connect=5)) as client:
            with typer.progressbar(length=total, label=f"uploading {len(paths)} file(s)", file=sys.stderr) as bar:
                job = upload(client, paths, preset=preset, fields=fields, on_bytes=bar.update)
            typer.echo(f"import {job['id']} queued", err=True)
            if wait:
                with typer.progressbar(length=1, label="importing", file=sys.stderr) as rows_bar:
                    seen = 0

                    def advance(state: dict[str, object]) -> None:
                        nonlocal seen
                        progress = state["progress"]
                        assert isinstance(progress, dict)
                        if progress.get("rows_total"):
                            rows_bar.length = int(progress["rows_total"])
                            done = int(progress["rows_done"])
                            rows_bar.update(done - seen)
                            seen = done

                    job = follow(client, job["id"], on_progress=advance)
    except httpx2.TransportError as exc:
        typer.echo(f"cannot reach Patron at {base}: {exc} (is `patron up` running?)", err=True)
        raise typer.Exit(2) from None
    except (ImportFailed, NotSignedIn, GatewayRefused) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    for line in summary(job):
        typer.echo(line)
    raise typer.Exit(0 if job["state"] in ("done", "queued", "running") else 1)


@app.command("import")
def import_files(
    files: list[Path] = typer.Argument(..., help="CSV files (a folder stands for its CSV files)."),
    preset: str = typer.Option(..., "--preset", "-p", help="patron, minimal or global-electronics."),
    currency: str | None = typer.Option(None, help="Currency of the amounts (minimal layout; default base)."),
    date_order: str | None = typer.Option(None, help="Order of ambiguous dates: month-first, day-first."),
    mapping: str | None = typer.Option(None, help='JSON renaming file columns: \'{"Client": "client_id"}\'.'),
    url: str | None = typer.Option(None, help=_URL_HELP),
    wait: bool = typer.Option(True, help="Follow the job until it is done (--no-wait: just queue it)."),
) -> None:
    """Import files as one job, with progress: upload, then rows loaded of the total."""
    fields = {k: v for k, v in {"currency": currency, "date_order": date_order, "mapping": mapping}.items() if v}
    _run_import(files, preset=preset, url=url, fields=fields, wait=wait)


imports_app = typer.Typer(help="List and inspect import jobs.", no_args_is_help=True)
app.add_typer(imports_app, name="imports")


def _get(url: str | None, path: str, params: dict[str, object] | None = None) -> dict[str, object]:
    import httpx2

    from patron.credentials import GatewayRefused, NotSignedIn

    base, auth = _gateway(url)
    try:
        with httpx2.Client(base_url=base, auth=auth, timeout=30) as client:
            response = client.get(path, params=params)  # type: ignore[arg-type]
    except httpx2.TransportError as exc:
        typer.echo(f"cannot reach Patron at {base}: {exc}", err=True)
        raise typer.Exit(2) from None
    except (NotSignedIn, GatewayRefused) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    if response.status_code != 200:
        from patron.importing import problem

        typer.echo(problem(response), err=True)
        raise typer.Exit(1)
    body: dict[str, object] = response.json()
    return body


@imports_app.command("list")
def imports_list(
    state: str | None = typer.Option(None, help="Only jobs in this state: queued, running, done, failed."),
    limit: int = typer.Option(20, help="How many, newest first."),
    url: str | None = typer.Option(None, help=_URL_HELP),
) -> None:
    """Import jobs, newest first: id, state, progress, preset, files."""
    params: dict[str, object] = {"limit": limit} | ({"state": state} if state else {})
    page = _get(url, "/api/v1/imports", params)
    items = page["items"]
    assert isinstance(items, list)
    for job in items:
        progress = job["progress"]
        percent = f"{progress['percent']:.0f}%" if progress.get("percent") is not None else "-"
        names = ", ".join(f["name"] for f in job["files"])
        typer.echo(f"{job['id']:>6}  {job['state']:<8} {percent:>5}  {job['preset']:<20} {names}")


@imports_app.command("show")
def imports_show(
    job_id: int = typer.Argument(..., help="The import's id."),
    as_json: bool = typer.Option(False, "--json", help="The whole job with its report, as JSON."),
    url: str | None = typer.Option(None, help=_URL_HELP),
) -> None:
    """One import job: state, progress and its report."""
    import json

    from patron.importing import summary

    job = _get(url, f"/api/v1/imports/{job_id}")
    if as_json:
        typer.echo(json.dumps(job, indent=2, ensure_ascii=False))
        return
    for line in summary(job):
        typer.echo(line)


@app.command()
def demo(
    data: Path | None = typer.Option(
        None, help="Import this Global Electronics folder instead of the generated retailer (or PATRON_DEMO_DATA)."
    ),
    customers: int = typer.Option(
        20_000, min=1, help="Customers of the generated retailer; bills in proportion (about five each)."
    ),
    seed: int = typer.Option(1, help="Seed of the generated retailer: the same seed gives the same files."),
    url: str | None = typer.Option(None, help=_URL_HELP),
) -> None:
    """Load a demo retailer with progress: generated from a seed in Patron's layout, or a Global Electronics folder."""
    settings = CommandLineSettings()
    folder = data or settings.demo_data
    if folder is not None:
        if not folder.is_dir():
            raise typer.BadParameter(f"{folder} is not a folder", param_hint="--data")
        _run_import([folder], preset="global-electronics", url=url, fields={}, wait=True)
        return
    import time

    from patron.demo.generate import generate

    _gateway(url)  # no system to load into, or no sign-in: say so before generating anything
    target = settings.data_dir.resolve() / "demo" / f"customers-{customers}-seed-{seed}"
    started = time.monotonic()
    typer.echo(f"generating {customers} customers (seed {seed}) into {target}", err=True)
    counts = generate(target, customers=customers, seed=seed).counts()
    typer.echo(
        f"generated {counts['customers']} customers, {counts['products']} products, {counts['stores']} stores, "
        f"{counts['exchange_rates']} exchange rates, {counts['bills']} bills ({counts['bill_lines']} lines), "
        f"{counts['returned_lines']} returned lines, {counts['cancellations']} cancellations "
        f"in {time.monotonic() - started:.1f} s",
        err=True,
    )
    _run_import([target], preset="patron", url=url, fields={}, wait=True)


loyalty_app = typer.Typer(help="The loyalty service's data (PATRON_LOYALTY_* settings).", no_args_is_help=True)
app.add_typer(loyalty_app, name="loyalty")


def _rebuild(command: str, run: Any) -> Any:
    """Run a rebuild coroutine factory ``run(progress)``, its progress on stderr; exit 1 if it gives up."""
    import asyncio

    def progress(line: str) -> None:
        typer.echo(f"patron {command}: {line}", err=True)

    try:
        return asyncio.run(run(progress))
    except TimeoutError as exc:
        typer.echo(f"patron {command}: {exc}", err=True)
        raise typer.Exit(1) from None


@loyalty_app.command("rebuild")
def loyalty_rebuild(
    timeout: float = typer.Option(3600.0, min=1, help="Give up after this many seconds."),
) -> None:
    """Rebuild the loyalty ledger and monthly figures by replaying the event stream from its start.

    Stop the loyalty service first: the rebuild empties its ledger and runs its consumer here.
    """
    from services.loyalty.ledger.rebuild import rebuild_ledger
    from services.loyalty.settings import LoyaltySettings

    report = _rebuild(
        "loyalty rebuild",
        lambda progress: rebuild_ledger(LoyaltySettings(), progress=progress, give_up_after=timeout),
    )
    typer.echo(
        f"rebuilt in {report.seconds:.1f} s: {report.applied:,} events applied, {report.ignored:,} ignored, "
        f"{report.held:,} held; {report.customers:,} customers, {report.bills:,} bills, "
        f"{report.figures:,} monthly figures"
    )


analytics_app = typer.Typer(help="The analytics service's data (PATRON_ANALYTICS_* settings).", no_args_is_help=True)
app.add_typer(analytics_app, name="analytics")


@analytics_app.command("rebuild")
def analytics_rebuild(
    timeout: float = typer.Option(3600.0, min=1, help="Give up after this many seconds."),
) -> None:
    """Rebuild the analytics star schema and its aggregates by replaying the event stream from its start.

    Stop the analytics service first: the rebuild empties its schema and runs its consumer here.
    """
    from services.analytics.feed.rebuild import rebuild_star
    from services.analytics.settings import AnalyticsSettings

    report = _rebuild(
        "analytics rebuild",
        lambda progress: rebuild_star(AnalyticsSettings(), progress=progress, give_up_after=timeout),
    )
    typer.echo(
        f"rebuilt in {report.seconds:.1f} s: {report.applied:,} events applied, {report.ignored:,} ignored, "
        f"{report.held:,} held; {report.customers:,} customers, {report.lines:,} purchase lines"
    )


if __name__ == "__main__":
    app()
