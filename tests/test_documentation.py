"""The README's generated parts agree with the code they describe."""

from pathlib import Path

from patron.settings_table import render

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_configuration_table_is_generated_from_the_settings():
    readme = (ROOT / "README.md").read_text()
    assert render() in readme, "run `patron settings --readme README.md`"


def test_the_readme_test_command_is_the_one_ci_runs():
    assert 'TEST_COMMAND="pytest -q"' in (ROOT / ".ci" / "run").read_text()
    assert "```sh\npytest -q\n```" in (ROOT / "README.md").read_text()
