"""The command line reads its configuration through ``CommandLineSettings``, like every process."""

import json
import os
import subprocess
import sys
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
from patron.running import NotRunning, gateway_url, nats_url
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


def _up(data_dir: Path, pid: int) -> None:
    state = {"pid": pid, "gateway_url": "http://127.0.0.1:8123/", "nats_url": "nats://127.0.0.1:4333"}
    (data_dir / "up.json").write_text(json.dumps(state))


def test_the_addresses_are_the_ones_given_else_those_of_the_running_patron_up(tmp_path: Path) -> None:
    assert gateway_url("http://given:1/", tmp_path) == "http://given:1"
    assert nats_url("nats://given:2", tmp_path) == "nats://given:2"
    with pytest.raises(NotRunning, match=r"no up\.json.*--url or PATRON_URL"):
        gateway_url(None, tmp_path)
    with pytest.raises(NotRunning, match=r"no up\.json.*--nats-url or PATRON_NATS_URL"):
        nats_url(None, tmp_path)
    _up(tmp_path, os.getpid())
    assert gateway_url(None, tmp_path) == "http://127.0.0.1:8123"
    assert nats_url(None, tmp_path) == "nats://127.0.0.1:4333"
    assert gateway_url("http://given:1/", tmp_path) == "http://given:1"  # given wins over the running one
    assert nats_url("nats://given:2", tmp_path) == "nats://given:2"


def test_a_patron_up_whose_process_is_gone_is_not_running(tmp_path: Path) -> None:
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    _up(tmp_path, finished.pid)
    with pytest.raises(NotRunning, match="is gone"):
        gateway_url(None, tmp_path)
    with pytest.raises(NotRunning, match="is gone"):
        nats_url(None, tmp_path)


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
        gateway_access("http://given:1", tmp_path)
    with pytest.raises(NotRunning):  # no gateway given, none signed in at, none running
        gateway_access(None, tmp_path, access_token="a.b.c")
    base, auth = gateway_access("http://given:1", tmp_path, access_token="a.b.c")
    assert base == "http://given:1" and isinstance(auth.source, FixedToken) and auth.source.token() == "a.b.c"


def test_a_kept_sign_in_names_its_gateway_unless_one_is_given(tmp_path: Path) -> None:
    _up(tmp_path, os.getpid())
    save(credentials_path(tmp_path), Credentials("http://signed.example:9000", "ada@example.org", "r"))
    base, auth = gateway_access(None, tmp_path)
    assert base == "http://signed.example:9000" and isinstance(auth.source, StoredSignIn)
    assert gateway_access("http://given:1/", tmp_path)[0] == "http://given:1"


def _patron(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line as a user runs it, with no PATRON_URL or PATRON_NATS_URL set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATRON_")} | {"PATRON_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "patron.cli", *args], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "command",
    [["status"], ["events"], ["imports", "list"], ["import", "--preset", "minimal", "bills.csv"], ["demo"]],
    ids=" ".join,
)
def test_with_nothing_running_a_command_says_so_in_one_line(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "bills.csv").write_text("bill_id,date,amount\n")
    command = [str(tmp_path / part) if part == "bills.csv" else part for part in command]
    finished = _patron(tmp_path / "data", *command)
    assert finished.returncode != 0
    output = (finished.stdout + finished.stderr).strip()
    assert len(output.splitlines()) == 1 and "Traceback" not in output, output
    assert "Patron is not running" in output and "patron up" in output


def test_patron_events_with_nats_down_fails_at_once_in_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    finished = _patron(tmp_path, "events", "--nats-url", f"nats://127.0.0.1:{port}")
    assert finished.returncode == 1
    assert finished.stdout == "" and len(finished.stderr.strip().splitlines()) == 1, finished.stderr
    assert f"cannot read the event streams at nats://127.0.0.1:{port}" in finished.stderr
