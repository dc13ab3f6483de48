"""``patron``: the command line of a Patron deployment."""

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


if __name__ == "__main__":
    app()
