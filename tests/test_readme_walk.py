"""The README's walk through the API, run command by command against a fresh `patron up`.

Every ```sh block between ``<!-- walk:begin`` and ``<!-- walk:end -->`` is run in order by one bash
(``set -euo pipefail``) in the folder `patron up` was started from, as a person pastes them into a
second terminal. Only the gateway's address (``http://127.0.0.1:8000``, in commands and answers) and
the password placeholder are replaced, by what this `patron up` chose and printed. An answer is the
``# →`` comment after a command (on its last line or on the lines below, continued by ``#`` and two
or more spaces); ``...`` in it stands for anything, a run of spaces for any spacing. A JSON answer
is compared with the output re-serialised as ``json.dumps`` spells it, keys in the order sent.
A command that fails, a command without an answer, or an answer that differs fails the test.
"""

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.processes import ROOT, free_port

pytestmark = pytest.mark.timeout(300)

README_GATEWAY = "http://127.0.0.1:8000"
PASSWORD_PLACEHOLDER = "THE-PASSWORD-PATRON-UP-PRINTED"
ANSWER = "# →"
STEP_MARK = "@@readme-walk-step"


@dataclass
class Step:
    line: int  # of the README, where the command starts
    command: str
    answer: str | None = None


def walk_steps(readme: str) -> list[Step]:
    """The commands of the walk's shell blocks, each with the answer the README shows for it."""
    begin, end = readme.index("<!-- walk:begin"), readme.index("<!-- walk:end -->")
    steps: list[Step] = []
    for block in re.finditer(r"^```sh\n(.*?)^```$", readme[begin:end], re.MULTILINE | re.DOTALL):
        first_line = readme[: begin + block.start(1)].count("\n") + 1
        pending: list[str] = []  # the lines of a command continued with a backslash
        in_answer = False
        for offset, line in enumerate(block.group(1).splitlines()):
            stripped = line.strip()
            if pending:
                pending.append(line)
                if not line.endswith("\\"):
                    steps[-1].command = "\n".join(pending)
                    pending = []
                    in_answer = _trailing_answer(steps[-1])
                continue
            if stripped.startswith(ANSWER):
                assert steps and steps[-1].answer is None, f"README line {first_line + offset}: an answer to what?"
                steps[-1].answer = stripped.removeprefix(ANSWER).strip()
                in_answer = True
            elif in_answer and re.match(r"#\s{2,}\S", stripped):
                steps[-1].answer = f"{steps[-1].answer} {stripped[1:].strip()}"
            elif not stripped or stripped.startswith("#"):
                in_answer = False
            else:
                steps.append(Step(first_line + offset, line))
                if line.endswith("\\"):
                    pending = [line]
                else:
                    in_answer = _trailing_answer(steps[-1])
    return steps


def _trailing_answer(step: Step) -> bool:
    """Move an answer written after the command on its own line (``cmd  # → ...``) into ``step.answer``."""
    command, arrow, answer = step.command.rpartition(f" {ANSWER} ")
    if not arrow:
        return False
    step.command, step.answer = command.rstrip(), answer.strip()
    return True


def answer_pattern(answer: str) -> re.Pattern[str]:
    parts = re.split(r"(\.\.\.|\s+)", answer.strip())
    regex = "".join(".*?" if part == "..." else r"\s*" if part.isspace() else re.escape(part) for part in parts)
    return re.compile(regex, re.DOTALL)


def answers(answer: str, output: str) -> bool:
    text = output.strip()
    with contextlib.suppress(ValueError):  # not JSON: compared as printed
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return answer_pattern(answer).fullmatch(text) is not None


def _start_patron_up(folder: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """`patron up` on a fresh data folder as a user starts it: no PATRON_ setting, so embedded servers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATRON_")}
    command = [sys.executable, "-m", "patron.cli", "up", "--data-dir", str(folder / ".patron")]
    with log.open("wb") as out:
        return subprocess.Popen(
            [*command, "--gateway-port", str(port)], cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def _wait_until_up(up: subprocess.Popen[bytes], log: Path) -> str:
    """The password of the first admin, once `patron up` says it is up."""
    deadline = time.monotonic() + 180
    while "Patron is up" not in log.read_text():
        assert up.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.3)
    (password,) = re.findall(r"first admin: admin@localhost, password (\S+) ", log.read_text())
    return str(password)


def _script(steps: list[Step], gateway: str, password: str) -> str:
    lines = ["set -euo pipefail"]
    for number, step in enumerate(steps):
        command = step.command.replace(README_GATEWAY, gateway).replace(PASSWORD_PLACEHOLDER, password)
        lines += [f"printf '\\n{STEP_MARK} %d\\n' {number}", command]
    return "\n".join(lines) + "\n"


def test_the_readme_walk_parses_into_commands_each_with_its_answer() -> None:
    steps = walk_steps((ROOT / "README.md").read_text())
    assert any(README_GATEWAY in step.command for step in steps)
    assert any(PASSWORD_PLACEHOLDER in step.command for step in steps)
    unanswered = [s for s in steps if s.answer is None and not re.fullmatch(r"[A-Z_]+=.*", s.command, re.DOTALL)]
    assert unanswered == [], "each command of the walk but a variable shows its answer as a `# →` comment"
    assert answers('{"id": 1, ..., "status": "recorded", ...}', '{"id":1,"x":null,"status":"recorded","y":2}')
    assert not answers('{"id": 1, ...}', '{"id":12,"x":null}')
    assert answers(
        "HTTP/1.1 401 Unauthorized ... www-authenticate: Bearer ...",
        "HTTP/1.1 401 Unauthorized\r\ndate: x\r\nwww-authenticate: Bearer\r\n\r\n{}",
    )


def test_every_command_of_the_readme_walk_answers_as_the_readme_shows(tmp_path: Path) -> None:
    steps = walk_steps((ROOT / "README.md").read_text())
    folder, log, port = tmp_path / "shop", tmp_path / "up.log", free_port()
    folder.mkdir()
    up = _start_patron_up(folder, port, log)
    try:
        password = _wait_until_up(up, log)
        gateway = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PATRON_")}
        # The activated virtualenv of the README's first command: `patron` and `python3` are its own.
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        run = subprocess.run(
            ["bash", "-c", _script(steps, gateway, password)],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        up.send_signal(signal.SIGTERM)
        up.wait(timeout=60)
    outputs = re.split(rf"\n{STEP_MARK} \d+\n", "\n" + run.stdout)[1:]
    if run.returncode != 0:
        failed = steps[len(outputs) - 1] if outputs else steps[0]
        pytest.fail(
            f"README line {failed.line}: exited {run.returncode}\n{failed.command}\n"
            f"stdout: {outputs[-1] if outputs else run.stdout}\nstderr: {run.stderr}"
        )
    assert len(outputs) == len(steps), run.stdout
    differing = []
    for step, output in zip(steps, outputs, strict=True):
        answer = step.answer
        if answer is not None:
            answer = answer.replace(README_GATEWAY, gateway)
            if not answers(answer, output):
                differing.append(f"README line {step.line}:\n{step.command}\n  README: {answer}\n  got:    {output}")
    assert differing == [], "\n\n".join(differing)
    assert up.returncode == 0, log.read_text()
