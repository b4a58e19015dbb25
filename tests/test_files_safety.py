"""Nothing a person wrote is lost: outputs are written atomically (temp file + rename); `luoshi build` and
`luoshi site` delete only what their manifest lists and overwrite nothing they did not generate without --force;
no command replaces an existing file without --force; no output lands where the policy sources are, or outside
the output folder (`..`, absolute names, symlinks)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from luoshi.driver import output
from luoshi.cli import app
from luoshi.driver.output import MANIFEST, OutputError, atomic_write, write_outputs

runner = CliRunner()


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the seed project (pyproject, policies/, docs/dsl.md) to run commands in."""
    root = tmp_path / "proj"
    root.mkdir()
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(ROOT / "policies", root / "policies")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def small(tmp_path, monkeypatch) -> Path:
    """A small project (the test registry and one policy): a full `luoshi build` of it takes a second."""
    from helpers import small_project

    root = small_project(tmp_path)
    monkeypatch.chdir(root)
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ───────────── atomic writes ─────────────


def test_a_write_that_fails_midway_leaves_the_old_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "清单.xlsx"
    target.write_bytes(b"the complete old file")
    real_fdopen = os.fdopen

    class Broken:
        def __init__(self, fd, mode):
            self.handle = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "fdopen", Broken)
    with pytest.raises(OSError):
        atomic_write(target, b"a new file that never finishes")
    assert target.read_bytes() == b"the complete old file"
    assert [p.name for p in tmp_path.iterdir()] == ["清单.xlsx"]  # no temp file left behind


# ───────────── build: the manifest, foreign files, the sources ─────────────


def test_rebuild_deletes_only_listed_files_inside_the_output(tmp_path):
    out, outside = tmp_path / "out", tmp_path / "victim.txt"
    outside.write_text("mine", encoding="utf-8")
    (out / "model").mkdir(parents=True)
    (out / "model" / "stale.json").write_text("{}", encoding="utf-8")
    (out / "notes.md").write_text("mine too", encoding="utf-8")
    poisoned = ["model/stale.json", "../victim.txt", str(outside), "model/../../victim.txt"]
    (out / MANIFEST).write_text(json.dumps(poisoned), encoding="utf-8")
    write_outputs(out, {"model/corpus.json": b"{}"}, force=False, sources=tmp_path / "policies")
    assert not (out / "model" / "stale.json").exists()
    assert outside.read_text(encoding="utf-8") == "mine" and (out / "notes.md").read_text(encoding="utf-8") == "mine too"
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8")) == ["model/corpus.json"]


@pytest.mark.parametrize("name", ["../escape.json", "/tmp/luoshi-absolute.json", "a/../../escape.json"])
def test_generated_names_cannot_leave_the_output_folder(tmp_path, name):
    with pytest.raises(OutputError):
        write_outputs(tmp_path / "out", {name: b"x"}, sources=tmp_path / "policies")
    assert not (tmp_path / "escape.json").exists() and not Path("/tmp/luoshi-absolute.json").exists()


def test_a_symlinked_subfolder_cannot_carry_outputs_outside(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir()
    (out / "model").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError):
        write_outputs(out, {"model/corpus.json": b"{}"}, sources=tmp_path / "policies")
    assert list(elsewhere.iterdir()) == []


def test_build_never_overwrites_a_file_it_did_not_generate(small):
    mine = small / "build" / "model" / "corpus.json"
    mine.parent.mkdir(parents=True)
    mine.write_text("my own notes, kept where luoshi would write", encoding="utf-8")
    result = runner.invoke(app, ["build"])
    assert result.exit_code == 1 and "--force" in result.output
    assert mine.read_text(encoding="utf-8").startswith("my own notes")
    assert runner.invoke(app, ["build", "--force"]).exit_code == 0
    assert json.loads(mine.read_text(encoding="utf-8"))["policies"]
    assert runner.invoke(app, ["build"]).exit_code == 0  # now it is luoshi's own (in the manifest)


@pytest.mark.parametrize("where", ["policies", ".", "policies/out", "link"])
def test_build_refuses_to_write_where_the_sources_are(small, where):
    (small / "link").symlink_to(small / "policies", target_is_directory=True)
    before = snapshot(small / "policies")
    result = runner.invoke(app, ["build", "-o", where, "--force"])
    assert result.exit_code == 1 and "policy sources" in result.output
    assert snapshot(small / "policies") == before


def test_build_into_a_symlink_to_the_sources_is_refused_by_default(small):
    (small / "build").symlink_to(small / "policies", target_is_directory=True)
    before = snapshot(small / "policies")
    assert runner.invoke(app, ["build"]).exit_code == 1
    assert snapshot(small / "policies") == before


def test_build_to_a_folder_outside_the_project(small):
    """`-o ../x` is the user's choice (CI artifacts live outside the checkout): allowed, and still never over a
    file luoshi did not write there."""
    result = runner.invoke(app, ["build", "-o", "../x"])
    assert result.exit_code == 0, result.output
    assert (small.parent / "x" / "model" / "corpus.json").is_file()
    (small.parent / "y" / "model").mkdir(parents=True)
    (small.parent / "y" / "model" / "corpus.json").write_text("not luoshi's", encoding="utf-8")
    assert runner.invoke(app, ["build", "-o", "../y"]).exit_code == 1
    assert (small.parent / "y" / "model" / "corpus.json").read_text(encoding="utf-8") == "not luoshi's"


def test_build_to_a_file_is_a_message_not_a_traceback(small):
    (small / "out.txt").write_text("a file", encoding="utf-8")
    result = runner.invoke(app, ["build", "-o", "out.txt"])
    assert result.exit_code == 1 and not isinstance(result.exception, OSError)
    assert (small / "out.txt").read_text(encoding="utf-8") == "a file"


def test_site_refuses_the_sources_folder(small):
    before = snapshot(small / "policies")
    result = runner.invoke(app, ["site", "-o", "policies"])
    assert result.exit_code == 1 and "policy sources" in result.output and snapshot(small / "policies") == before


# ───────────── every command that writes a file: not over an existing one without --force ─────────────


def _completion(project: Path) -> str:
    assert runner.invoke(app, ["sample-data", "-o", "data.csv", "--seed", "1"]).exit_code == 0
    return "data.csv"


def _user_csv(project: Path) -> str:
    (project / "policies" / "台账.csv").write_text("单位,备注\n县民政局,我的台账\n", encoding="utf-8")
    return "policies/台账.csv"


COMMANDS = {
    "table": lambda p, t: ["table", "bishan-2020-shjz", "-f", "xlsx", "-o", t],
    "checklist": lambda p, t: ["checklist", "县民政局", "-o", t],
    "graph": lambda p, t: ["graph", "export", "-f", "dot", "-o", t],
    "diff": lambda p, t: ["diff", "yyfbf-2019-22", "yfbf-2018-161", "-f", "md", "-o", t],
    "draft": lambda p, t: ["draft", "yfbf-2018-161", "--for", "云阳县", "-o", t],
    "import": lambda p, t: ["import", str(ROOT / "tests" / "fixtures" / "seeds" / "000_e78e4aad8a1576ad.txt"), "-o", t],
    "comply": lambda p, t: ["comply", _completion(p), "--as-of", "2024-12-31", "-f", "markdown", "-o", t],
    "sample-data": lambda p, t: ["sample-data", "-o", _user_csv(p)],
    "lint-baseline": lambda p, t: ["lint", "--write-baseline", "--baseline", t],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_command_overwrites_an_existing_policy_without_force(project, command):
    """The worst case: -o names one of the policy sources."""
    args = COMMANDS[command](project, "policies/yfbf-2018-161.policy")
    before = snapshot(project / "policies")
    result = runner.invoke(app, args)
    assert result.exit_code != 0, result.output
    assert "--force" in result.output
    assert snapshot(project / "policies") == before
    assert not [p for p in (project / "policies").rglob("*") if p.name.startswith(".") and p.suffix == ".tmp"]
