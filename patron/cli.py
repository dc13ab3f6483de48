"""``patron``: the command line of a Patron deployment."""

import os
from pathlib import Path

import typer

from patron.services import SERVICES
from services.kit.settings import PatronSettings

app = typer.Typer(help="Patron: customer, loyalty and analytics backend for retailers.", no_args_is_help=True)


@app.callback()
def main() -> None:
    """Patron's command line."""


@app.command()
def migrate(
    database_url: str | None = typer.Option(None, help="PostgreSQL URL; defaults to PATRON_DATABASE_URL."),
    service: list[str] = typer.Option([], "--service", "-s", help="Only these services (repeatable)."),
) -> None:
    """Apply every service's migrations, each in its own schema."""
    from services.kit.migrations import upgrade

    url = database_url or PatronSettings().database_url
    unknown = set(service) - {spec.name for spec in SERVICES}
    if unknown:
        raise typer.BadParameter(f"unknown service(s): {', '.join(sorted(unknown))}", param_hint="--service")
    for spec in SERVICES:
        if service and spec.name not in service:
            continue
        upgrade(spec.package, url)
        typer.echo(f"{spec.name}: migrated")


@app.command()
def serve(
    name: str = typer.Argument(..., help="customer, loyalty, analytics or gateway"),
    host: str | None = typer.Option(None, help="Address to listen on (default from settings)."),
    port: int | None = typer.Option(None, help="Port to listen on (default from settings)."),
) -> None:
    """Run one service in the foreground, as a container or a process supervisor would."""
    import importlib

    import uvicorn

    factories = {spec.name: spec.factory for spec in SERVICES} | {"gateway": "gateway.app:create_app"}
    if name not in factories:
        raise typer.BadParameter(f"unknown service {name!r}", param_hint="NAME")
    module_name, _, attr = factories[name].partition(":")
    settings_module = importlib.import_module(module_name)
    application = getattr(settings_module, attr)()
    settings = application.state.settings
    uvicorn.run(
        application,
        host=host or settings.host,
        port=port or settings.port,
        log_config=None,
        proxy_headers=False,
        server_header=False,
    )


def _data_dir(data_dir: Path | None) -> Path:
    return (data_dir or Path(os.environ.get("PATRON_DATA_DIR", ".patron"))).resolve()


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
) -> None:
    """Start the whole system: database and NATS (embedded unless configured), migrations, services, gateway."""
    from patron.up import Plan, run

    ports = {"gateway": gateway_port, "customer": customer_port, "loyalty": loyalty_port, "analytics": analytics_port}
    plan = Plan(
        data_dir=_data_dir(data_dir),
        host=host,
        ports={name: port for name, port in ports.items() if port},
        database_url=os.environ.get("PATRON_DATABASE_URL"),
        nats_url=os.environ.get("PATRON_NATS_URL"),
        nats_port=nats_port or None,
    )
    raise typer.Exit(run(plan, lambda line: typer.echo(line, err=True)))


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


events_app = typer.Typer(help="The event stream: streams, consumers, pending counts, and the event catalog.")
app.add_typer(events_app, name="events")


@events_app.callback(invoke_without_command=True)
def events(
    ctx: typer.Context,
    nats_url: str | None = typer.Option(None, help="NATS URL; defaults to PATRON_NATS_URL."),
) -> None:
    """Show streams, their consumers and each consumer's pending count."""
    if ctx.invoked_subcommand is not None:
        return
    import asyncio

    from services.kit.events import describe_streams

    url = nats_url or PatronSettings().nats_url
    try:
        lines = asyncio.run(describe_streams(url))
    except Exception as exc:  # the broker's own error says most; this is a command line
        typer.echo(f"cannot read the event streams at {url}: {exc}", err=True)
        raise typer.Exit(1) from exc
    for line in lines:
        typer.echo(line)


@events_app.command("docs")
def events_docs(
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
) -> None:
    """Write docs/events.md from the event catalogs."""
    from services.customer.events import EXAMPLES, catalog
    from services.kit.event_docs import render

    text = render([(catalog, EXAMPLES)])
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text)


if __name__ == "__main__":
    app()
