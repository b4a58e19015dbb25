"""Start-up is the floor under every rebuild (bench/README.md): `luoshi X` loads only the command module of X,
and reporting a lint finding does not pull in the importer's pypinyin. Checked in a fresh interpreter, since
this test process has imported everything already."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import typer

from luoshi import cli, commands, helptext

PROBE = """
import json, sys
from luoshi import cli
cli._register(cli._modules_for(sys.argv[1:]))
from luoshi.diagnostics.codes import CODES
CODES["LS330"]  # what the first lint finding does: load every feature's code table
print(json.dumps({"registered": sorted(cli._REGISTERED), "heavy": sorted(m for m in ("pypinyin", "networkx", "openpyxl") if m in sys.modules)}))
"""


def probe(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True, timeout=60)
    return json.loads(out.stdout)


def test_a_command_loads_only_its_own_module():
    assert probe("lint", "--format", "json") == {"registered": ["lint"], "heavy": []}
    assert probe("check") == {"registered": [], "heavy": []}


def test_help_options_and_other_names_load_every_command():
    # `luoshi --help` lists the commands from the modules' source (helptext.static_commands): none is imported
    assert probe("--help") == {"registered": [], "heavy": []} == probe()
    assert probe("--version") == {"registered": [], "heavy": []}  # answered before any command is looked up
    every = probe("--project", ".", "lint")["registered"]  # an option first: the command is not known in advance
    assert {"lint", "graph", "importer", "sample_data", "site"} <= set(every)
    assert probe("import", "x.docx")["registered"] == every  # `import` lives in importer.py
    assert cli._modules_for(["sample-data"]) == ["sample_data"]
    assert cli._modules_for(["no-such-command"]) is None


def test_the_command_list_read_from_source_is_the_registered_one():
    real = typer.main.get_command(cli.app).commands
    folder = Path(commands.__file__).parent
    listed = {name: text for info in pkgutil.iter_modules(commands.__path__) if not info.name.startswith("_")
              for name, text in helptext.static_commands(folder / f"{info.name}.py")}
    assert set(listed) | set(cli.BUILT_IN) == set(real)
    assert all(real[name].help == text for name, text in listed.items())


def test_the_app_for_tests_has_every_command():
    names = set(typer.main.get_command(cli.app).commands)
    assert {"check", "build", "lint", "graph", "import", "sample-data", "site", "diff", "draft"} <= names


def test_a_command_ends_quietly_with_its_exit_code(scratch_project):
    """The frozen heap is not torn down at exit (`cli._exit`): DuckDB's bindings used to print ~40 lines of
    `nanobind: leaked …` after every `luoshi comply`, which an official reads as a crash."""
    data = scratch_project.root / "c.csv"
    run = lambda *a: subprocess.run([sys.executable, "-m", "luoshi", *a], capture_output=True, text=True, cwd=scratch_project.root,
                                    timeout=300)
    assert run("sample-data", "-o", str(data), "--seed", "7").returncode == 0
    done = run("comply", str(data), "--as-of", "2024-12-31")
    assert done.returncode == 1  # the sample data's planted violations fail
    assert "核查" in done.stderr and "nanobind" not in done.stderr and "leaked" not in done.stderr
    assert run("check").returncode == 0
    assert run("no-such-command").returncode == 2


STAGES = ("lark", "pydantic", "luoshi.driver.pipeline", "luoshi.model", "luoshi.syntax.ast", "luoshi.semantics.registry")
LOADED = """
import json, sys
for name in sys.argv[1:]:
    __import__(name)
print(json.dumps(sorted(m for m in {stages!r} if m in sys.modules)))
""".format(stages=STAGES)


def loaded(*modules: str) -> list[str]:
    """Which of the compiler's stages (and pydantic) importing `modules` loads, in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", LOADED, *modules], capture_output=True, text=True, check=True, timeout=60)
    return json.loads(out.stdout)


def test_the_command_line_and_a_kept_plan_load_no_compiler_stage():
    """`luoshi --version` and `luoshi comply` with a kept plan need none of the stages: the command line, the
    commands' shared module, the plan cache (the file listing, driver/listing.py; the grammar's text) and the
    engine import them where used (bench/README.md, "Round 9: start-up")."""
    assert loaded("luoshi.cli", "luoshi.commands.comply") == []
    comply = ("luoshi.comply.plancache", "luoshi.comply.engine", "luoshi.comply.report")
    assert loaded(*comply) == ["pydantic"]  # the plan's own models, not the compiler's
    assert loaded("luoshi.syntax.source", "luoshi.diagnostics") == []  # pydantic: at a model's first span schema
    assert "luoshi.driver.pipeline" in loaded("luoshi.driver.incremental")  # the probe sees an import


GC_PROBE = """
import gc, os, sys
from luoshi import cli, launch
def collections():
    return sum(stats["collections"] for stats in gc.get_stats())
real, seen = launch.started, []
def started():
    seen.append((gc.isenabled(), collections() - before, "luoshi.model" in sys.modules))
    real()
def done(code):
    print(seen, gc.isenabled(), gc.get_freeze_count() > 0, file=sys.stderr, flush=True)
    os._exit(0)
launch.started, cli._exit = started, done
sys.argv = ["luoshi", "lint", "--explain", "LS330"]
before = collections()
launch.main()
"""


def test_the_entry_point_starts_without_the_collector_and_runs_the_command_with_it(tmp_path):
    """`luoshi.launch` turns the garbage collector off while the command line imports what it runs, then
    (`launch.started`, once the command's module is registered: `luoshi lint` imports the model) freezes what the
    imports made and turns it on again: no collection ran during start-up, and the command runs with the collector."""
    out = subprocess.run([sys.executable, "-c", GC_PROBE], capture_output=True, text=True, check=True, timeout=60,
                         cwd=tmp_path)
    assert out.stderr.splitlines()[-1] == "[(False, 0, True)] True True"
