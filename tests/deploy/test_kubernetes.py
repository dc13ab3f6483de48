"""deploy/kubernetes/: every manifest valid against the Kubernetes schemas, and complete for Patron."""

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from gateway.settings import GatewaySettings
from patron.services import SERVICES
from services.analytics.settings import AnalyticsSettings
from services.customer.settings import CustomerSettings
from services.kit.settings import PatronSettings
from services.loyalty.settings import LoyaltySettings

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy" / "kubernetes"
KUBERNETES_VERSION = "1.31"
PROCESSES = {spec.name: spec.default_port for spec in SERVICES} | {"gateway": 8000}


def documents() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(MANIFESTS.rglob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                found.append((str(path.relative_to(ROOT)), document))
    return found


def resources() -> list[tuple[str, dict[str, Any]]]:
    return [(path, doc) for path, doc in documents() if doc.get("kind") != "Kustomization"]


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for _, doc in resources() if doc["kind"] == kind}


@pytest.mark.parametrize(("path", "document"), resources(), ids=lambda value: value if isinstance(value, str) else "")
def test_manifest_is_valid(path: str, document: dict[str, Any]) -> None:
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_kustomizations_list_existing_files() -> None:
    kustomizations = [(path, doc) for path, doc in documents() if doc.get("kind") == "Kustomization"]
    assert kustomizations
    listed = set()
    for path, doc in kustomizations:
        for resource in doc["resources"]:
            file = (ROOT / path).parent / resource
            assert file.is_file(), f"{path} lists {resource}, which does not exist"
            listed.add(file.resolve())
    every = {path.resolve() for path in MANIFESTS.rglob("*.yaml") if path.name != "kustomization.yaml"}
    # The Secret is a template to fill in, never applied as it is.
    assert every - listed == {(MANIFESTS / "secret.example.yaml").resolve()}


def container(doc: dict[str, Any]) -> dict[str, Any]:
    (only,) = doc["spec"]["template"]["spec"]["containers"]
    return only


def assert_hardened(name: str, doc: dict[str, Any]) -> None:
    pod = doc["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True, name
    assert pod["securityContext"]["runAsUser"] != 0, name
    c = container(doc)
    assert c["securityContext"]["allowPrivilegeEscalation"] is False, name
    assert c["resources"]["requests"]["cpu"] and c["resources"]["requests"]["memory"], name
    assert c["resources"]["limits"]["memory"], name
    sources = {next(iter(ref)) + ":" + next(iter(ref.values()))["name"] for ref in c["envFrom"]}
    assert sources == {"configMapRef:patron", "secretRef:patron"}, name


def test_a_deployment_and_a_service_per_process() -> None:
    deployments, services = of_kind("Deployment"), of_kind("Service")
    assert set(deployments) == set(PROCESSES) == set(services)
    for name, port in PROCESSES.items():
        doc = deployments[name]
        assert doc["spec"]["replicas"] >= 2, f"{name} should run replicas"
        c = container(doc)
        assert c["command"] == ["patron", "serve", name]
        assert c["ports"][0]["containerPort"] == port
        assert c["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        assert c["livenessProbe"]["httpGet"]["path"] == "/health/live"
        assert_hardened(name, doc)
        selector = doc["spec"]["selector"]["matchLabels"]
        assert selector.items() <= doc["spec"]["template"]["metadata"]["labels"].items()
        assert services[name]["spec"]["selector"] == selector
        assert services[name]["spec"]["ports"][0]["port"] == port


def test_a_migration_job_runs_patron_migrate() -> None:
    (job,) = of_kind("Job").values()
    assert container(job)["command"] == ["patron", "migrate"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    assert_hardened("migrate", job)


def test_configuration_names_settings_and_the_secret_is_a_template() -> None:
    fields = {field.upper() for field in PatronSettings.model_fields}
    config = of_kind("ConfigMap")["patron"]["data"]
    secret = of_kind("Secret")["patron"]["stringData"]
    assert not set(config) & set(secret)
    for variable in [*config, *secret]:
        assert variable.startswith("PATRON_"), variable
    assert {
        "PATRON_DATABASE_URL",
        "PATRON_INTERNAL_SECRET",
        "PATRON_GATEWAY_TOKEN_SECRET",
        "PATRON_GATEWAY_PAYLOAD_KEK",
    } == set(secret)
    assert all("CHANGE-ME" in value for value in secret.values())
    assert config["PATRON_ENVIRONMENT"] == "production"
    own = {
        "GATEWAY": GatewaySettings,
        "CUSTOMER": CustomerSettings,
        "LOYALTY": LoyaltySettings,
        "ANALYTICS": AnalyticsSettings,
    }
    prefixes = tuple(f"PATRON_{name}_" for name in own)
    shared = {variable.removeprefix("PATRON_") for variable in config if not variable.startswith(prefixes)}
    assert shared <= fields, shared - fields
    for name, settings in own.items():
        prefix = f"PATRON_{name}_"
        named = {variable.removeprefix(prefix) for variable in config if variable.startswith(prefix)}
        assert named <= {field.upper() for field in settings.model_fields}, (name, named)
