"""The command groups load on first use: ``--help`` shows them all from their one-line help and imports
none of their modules; each line is the command's own; running one loads it."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from microcareer.cli.lazy_group import registered
from microcareer.cli.main import COMMANDS, app

REPO = Path(__file__).resolve().parents[2]
# What ``microcareer --help`` must not import (issue 17: these made it take 1.6 s)
NOT_FOR_HELP = (
    "cryptography",
    "pyld",
    "httpx",
    "jsonschema",
    "sqlalchemy",
    "alembic",
    "argon2",
    "torch",
    "numpy",
    "sklearn",
    "pydantic_settings",
    "microcareer.store",
    "microcareer.services",
    "microcareer.bootstrap",
)


def _first_paragraph(text: str) -> str:
    return inspect.cleandoc(text).split("\n\n")[0]


def test_each_help_line_is_the_commands_own_first_paragraph() -> None:
    for name, lazy in COMMANDS.items():
        command = registered(lazy.register).commands[name]
        assert _first_paragraph(command.short_help or command.help or "") == lazy.help, name


def test_the_table_names_every_command_its_modules_register() -> None:
    registrars = {lazy.register for lazy in COMMANDS.values()}
    names = {name for register in registrars for name in registered(register).commands}
    assert names == set(COMMANDS)


def test_help_lists_every_command_and_a_command_loads_when_run() -> None:
    runner = CliRunner()
    listing = runner.invoke(app, ["--help"], terminal_width=200)
    assert listing.exit_code == 0
    for name in COMMANDS:
        assert f" {name} " in listing.output
    group = runner.invoke(app, ["credentials", "--help"], terminal_width=200)
    assert group.exit_code == 0
    assert "issue-batch" in group.output  # added to the group by credential_issuing.register


def test_a_misspelt_command_is_answered_with_the_likely_one() -> None:
    result = CliRunner().invoke(app, ["extarct"])
    assert result.exit_code == 2
    assert "Did you mean 'extract'?" in result.output


def test_help_imports_none_of_the_heavy_modules() -> None:
    """The start-up guard (bench/bench_startup.py times it): what ``--help`` imports, in a fresh
    interpreter; never how long it takes."""
    script = (
        "import sys, json\n"
        "sys.argv = ['microcareer', '--help']\n"
        "from microcareer.cli.main import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('MODULES ' + json.dumps(sorted(sys.modules)) + '\\n')\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "extract" in done.stdout
    modules = json.loads(done.stderr.split("MODULES ", 1)[1])
    heavy = sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in NOT_FOR_HELP))
    assert heavy == []
