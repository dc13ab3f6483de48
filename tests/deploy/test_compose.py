"""docker-compose.yml checked against the code: services, health checks, builds, commands, settings."""

import importlib
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic_settings import BaseSettings

from gateway.settings import GatewaySettings
from patron.services import SERVICES
from services.kit.settings import PatronSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
SMOKE_OVERRIDE = ROOT / "deploy" / "smoke.d" / "compose.override.yml"
THIRD_PARTY = {"postgres", "nats"}


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())  # resolves the file's YAML anchors and `<<` merges
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load(COMPOSE)


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def settings_class(name: str) -> type[PatronSettings]:
    """The settings class the process `patron serve NAME` reads."""
    if name == "gateway":
        return GatewaySettings
    (spec,) = [spec for spec in SERVICES if spec.name == name]
    module = importlib.import_module(f"{spec.package}.settings")
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, PatronSettings) and value.__module__ == module.__name__
    ]
    assert len(found) == 1, f"{module.__name__} should define one settings class, found {found}"
    return found[0]


def accepted_variables(cls: type[BaseSettings]) -> set[str]:
    """Environment variables a settings class reads: its own prefix and the shared one, each field upper-cased."""
    prefixes = {str(cls.model_config.get("env_prefix", "")), PatronSettings.shared_prefix}
    return {f"{prefix}{field}".upper() for prefix in prefixes for field in cls.model_fields}


def command_of(service: dict[str, Any]) -> list[str]:
    command = service.get("command")
    assert command, "a Patron container needs an explicit command"
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def entry_point(service: dict[str, Any]) -> tuple[str, str | None]:
    """("serve", NAME) or ("migrate", None); fails on anything else."""
    argv = command_of(service)
    assert argv[0] == "patron", f"{argv}: the image's entry point is the `patron` command"
    if argv[1:2] == ["migrate"]:
        return "migrate", None
    assert argv[1:2] == ["serve"] and len(argv) >= 3, f"{argv}: expected `patron serve NAME` or `patron migrate`"
    return "serve", argv[2]


def patron_services(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {name: service for name, service in services.items() if name not in THIRD_PARTY}


def known_processes() -> set[str]:
    return {spec.name for spec in SERVICES} | {"gateway"}


def test_every_process_and_the_infrastructure_is_present(services: dict[str, dict[str, Any]]) -> None:
    served = {entry_point(service)[1] for service in patron_services(services).values()} - {None}
    assert served == known_processes()
    assert set(services) >= THIRD_PARTY
    assert "migrate" in services and entry_point(services["migrate"]) == ("migrate", None)


def test_every_command_is_a_real_entry_point(services: dict[str, dict[str, Any]]) -> None:
    from patron.cli import app

    commands = {
        command.name or (command.callback.__name__ if command.callback else "") for command in app.registered_commands
    }
    assert {"serve", "migrate"} <= commands
    for name, service in patron_services(services).items():
        kind, process = entry_point(service)
        if kind == "serve":
            assert process in known_processes(), f"{name}: `patron serve {process}` is not a Patron process"
            assert name == process, f"service {name} runs `patron serve {process}`"


def test_every_long_running_service_has_a_health_check(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        if name == "migrate":
            continue
        check = service.get("healthcheck")
        assert check and check.get("test"), f"{name} has no health check"
        assert not check.get("disable"), f"{name} disables its health check"


def test_each_build_points_at_an_existing_dockerfile(services: dict[str, dict[str, Any]]) -> None:
    builds = {name: service["build"] for name, service in services.items() if "build" in service}
    assert set(builds) == set(patron_services(services)), "every Patron process builds from the repository"
    for name, build in builds.items():
        context = (COMPOSE.parent / (build if isinstance(build, str) else build.get("context", "."))).resolve()
        dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        assert context.is_dir(), f"{name}: build context {context} does not exist"
        assert (context / dockerfile).is_file(), f"{name}: {context / dockerfile} does not exist"


def test_every_patron_variable_is_one_the_settings_read(services: dict[str, dict[str, Any]]) -> None:
    for name, service in patron_services(services).items():
        kind, process = entry_point(service)
        # `patron migrate` reads the shared settings; `patron serve NAME` its own class.
        cls = PatronSettings if kind == "migrate" else settings_class(str(process))
        accepted = accepted_variables(cls)
        environment = service.get("environment") or {}
        assert isinstance(environment, dict), f"{name}: write environment as a mapping"
        for variable in environment:
            assert variable.startswith("PATRON_"), f"{name}: {variable} is not a Patron setting"
            assert variable in accepted, f"{name}: {cls.__name__} does not read {variable}"


def test_configuration_comes_from_the_environment(services: dict[str, dict[str, Any]]) -> None:
    for name, service in patron_services(services).items():
        environment = service["environment"]
        for variable in ("PATRON_DATABASE_URL", "PATRON_NATS_URL", "PATRON_INTERNAL_SECRET"):
            assert variable in environment, f"{name} lacks {variable}"
            assert "${" + variable in str(environment[variable]), (
                f"{name}: {variable} is not taken from the environment"
            )
        assert re.fullmatch(r"\$\{PATRON_INTERNAL_SECRET:\?[^}]*\}", str(environment["PATRON_INTERNAL_SECRET"])), (
            f"{name}: PATRON_INTERNAL_SECRET must be required, with no default"
        )
    gateway = services["gateway"]["environment"]
    for spec in SERVICES:
        assert gateway[f"PATRON_GATEWAY_{spec.name.upper()}_URL"] == f"http://{spec.name}:{spec.default_port}"


def test_services_start_after_healthy_dependencies_and_migrations(services: dict[str, dict[str, Any]]) -> None:
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"].get("restart") == "no"
    for spec in SERVICES:
        depends = services[spec.name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["nats"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert services["gateway"]["depends_on"][spec.name]["condition"] == "service_healthy"


def test_only_the_gateway_is_published(services: dict[str, dict[str, Any]]) -> None:
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"gateway"}
    (port,) = services["gateway"]["ports"]
    assert str(port).startswith("127.0.0.1:") and str(port).endswith(":8000")


def test_nats_runs_jetstream_and_images_are_official(services: dict[str, dict[str, Any]]) -> None:
    assert "--jetstream" in services["nats"]["command"] or "-js" in services["nats"]["command"]
    assert services["postgres"]["image"].startswith("docker.io/library/postgres:")
    assert services["nats"]["image"].startswith("docker.io/library/nats:")


def test_the_smoke_override_swaps_only_third_party_images() -> None:
    override = load(SMOKE_OVERRIDE)["services"]
    assert set(override) <= THIRD_PARTY
    for name, service in override.items():
        assert set(service) == {"image"}, f"the smoke override changes more than the image of {name}"


def test_the_dockerfile_is_multi_stage_non_root_with_a_health_check() -> None:
    text = (ROOT / "deploy" / "Dockerfile").read_text()
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim-bookworm$", text, re.M)
    assert len(re.findall(r"^FROM \$\{PYTHON_IMAGE\}", text, re.M)) == 2
    user = re.findall(r"^USER (\S+)", text, re.M)
    assert user and user[-1].split(":")[0] not in {"root", "0"}
    assert re.search(r"^HEALTHCHECK .*patron-healthcheck", text, re.M)
    assert (ROOT / "deploy" / "healthcheck.py").is_file()


def test_the_stack_lets_no_one_in_unsigned_and_the_smoke_test_signs_in_like_any_client() -> None:
    assert "DEVELOPMENT_PRINCIPAL" not in COMPOSE.read_text()
    smoke = (ROOT / "deploy" / "smoke").read_text()
    # The first admin comes from the command line inside the gateway container, never from an HTTP route.
    assert re.search(r"podman exec -i .*gateway.* patron users create-admin", smoke)
    assert "/api/v1/auth/sign-in" in smoke and 'add_header("Authorization", f"Bearer ' in smoke
    assert "expect=(401,), anonymous=True" in smoke  # and checks that an unsigned call is refused
