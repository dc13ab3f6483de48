"""The command line reads its configuration through ``CommandLineSettings``, like every process."""

import json
import os
from pathlib import Path

import pytest

from patron.credentials import (
    Credentials,
    FixedToken,
    NotSignedIn,
    StoredSignIn,
    credentials_path,
    gateway_access,
    load,
    save,
)
from patron.importing import DEFAULT_GATEWAY, gateway_url
from patron.settings import CommandLineSettings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.upper().startswith("PATRON_"):
            monkeypatch.delenv(name)


def test_defaults_leave_the_servers_to_patron_up() -> None:
    settings = CommandLineSettings()
    assert settings.data_dir == Path(".patron")
    assert (settings.url, settings.demo_data, settings.database_url, settings.nats_url) == (None, None, None, None)
    assert settings.access_token is None


def test_the_environment_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATRON_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PATRON_URL", "http://gateway.internal:8000/")
    monkeypatch.setenv("PATRON_DEMO_DATA", str(tmp_path / "demo"))
    monkeypatch.setenv("PATRON_DATABASE_URL", "postgresql://u@db/patron")
    monkeypatch.setenv("PATRON_NATS_URL", "nats://nats:4222")
    monkeypatch.setenv("PATRON_ACCESS_TOKEN", "a.b.c")
    settings = CommandLineSettings()
    assert settings.access_token is not None and settings.access_token.get_secret_value() == "a.b.c"
    assert "a.b.c" not in repr(settings)
    assert settings.data_dir == tmp_path
    assert settings.url == "http://gateway.internal:8000/"
    assert settings.demo_data == tmp_path / "demo"
    assert (settings.database_url, settings.nats_url) == ("postgresql://u@db/patron", "nats://nats:4222")


def test_an_empty_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PATRON_DATA_DIR", "PATRON_URL", "PATRON_DEMO_DATA", "PATRON_DATABASE_URL"):
        monkeypatch.setenv(name, "")
    settings = CommandLineSettings()
    assert (settings.data_dir, settings.url, settings.demo_data, settings.database_url) == (
        Path(".patron"),
        None,
        None,
        None,
    )


def test_the_gateway_url_is_the_one_given_else_the_one_patron_up_started(tmp_path: Path) -> None:
    assert gateway_url("http://given:1/", tmp_path) == "http://given:1"
    assert gateway_url(None, tmp_path) == DEFAULT_GATEWAY
    (tmp_path / "up.json").write_text(json.dumps({"gateway_url": "http://127.0.0.1:8123/"}))
    assert gateway_url(None, tmp_path) == "http://127.0.0.1:8123"


def test_a_sign_in_is_kept_for_this_user_only_and_replaced_whole(tmp_path: Path) -> None:
    path = credentials_path(tmp_path / "data")
    assert load(path) is None
    save(path, Credentials("http://127.0.0.1:8000", "admin@localhost", "first"))
    assert path.stat().st_mode & 0o777 == 0o600
    save(path, Credentials("http://127.0.0.1:8000", "admin@localhost", "rotated"))
    assert load(path) == Credentials("http://127.0.0.1:8000", "admin@localhost", "rotated")
    assert [p.name for p in path.parent.iterdir()] == ["credentials.json"]  # no scratch file left behind
    path.write_text("{not json")
    with pytest.raises(NotSignedIn, match="patron sign-in"):
        load(path)


def test_commands_need_a_sign_in_or_an_access_token(tmp_path: Path) -> None:
    with pytest.raises(NotSignedIn, match="run `patron sign-in` first"):
        gateway_access(None, tmp_path)
    base, auth = gateway_access(None, tmp_path, access_token="a.b.c")
    assert base == DEFAULT_GATEWAY and isinstance(auth.source, FixedToken) and auth.source.token() == "a.b.c"


def test_a_kept_sign_in_names_its_gateway_unless_one_is_given(tmp_path: Path) -> None:
    (tmp_path / "up.json").write_text(json.dumps({"gateway_url": "http://127.0.0.1:8123/"}))
    save(credentials_path(tmp_path), Credentials("http://signed.example:9000", "ada@example.org", "r"))
    base, auth = gateway_access(None, tmp_path)
    assert base == "http://signed.example:9000" and isinstance(auth.source, StoredSignIn)
    assert gateway_access("http://given:1/", tmp_path)[0] == "http://given:1"
