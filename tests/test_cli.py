"""The command line as users run it: help in both languages, build outputs, determinism, schema validity."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, build_only


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}  # help text is wrapped to the terminal width
    return subprocess.run([sys.executable, "-m", "luoshi", *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_help_is_bilingual():
    out = run("--help").stdout
    assert "落实" in out and "policy-as-code" in out
    for command in ("check", "build"):
        assert command in out
    check_help = run("check", "--help").stdout
    assert "核对单位" in check_help and "Parse and resolve" in check_help


def test_check_seed_corpus_is_clean():
    result = run("check", "policies/")
    assert result.returncode == 0, result.stderr
    assert "0 个错误" in result.stderr


def test_check_one_policy_by_id():
    result = run("check", "yfbf-2018-161")
    assert result.returncode == 0, result.stderr
    assert "检查了 1 个文件" in result.stderr


@pytest.fixture
def built(seed_build, second_seed_build) -> tuple[Path, Path]:
    """The session's seed build (conftest.py: hash seed 1, UTC, no cache) and the session's second one, as a shell
    runs it (hash seed 2, Asia/Shanghai, the cache on): test_reproducible.py compares the same two."""
    return seed_build, second_seed_build


def test_build_writes_model_valid_against_its_schema(built):
    out, _ = built
    model = json.loads((out / "model" / "corpus.json").read_text(encoding="utf-8"))
    schema = json.loads((out / "model" / "corpus.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(model)
    ids = [p["id"] for p in model["policies"]]
    assert {"yfbf-2018-161", "yyfbf-2019-22", "dzmf-2019-26", "bishan-2020-shjz", "cjbf-2024-54"} <= set(ids)
    assert ids == sorted(ids)


def test_build_is_deterministic(built):
    first, second = built
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_build_refuses_with_errors_and_touches_nothing(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "policies"\n', encoding="utf-8")
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "bad.policy").write_text('政策 p { 任务 1 "甲" { 牵头 不存在的单位 } }', encoding="utf-8")
    result = run("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "bad.policy:1:" in result.stderr
    assert not (tmp_path / "build").exists()


def test_rebuild_removes_only_what_it_generated(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "model").mkdir()
    (out / ".luoshi-manifest.json").write_text(json.dumps(["model/old.json"]), encoding="utf-8")
    (out / "model" / "old.json").write_text("{}", encoding="utf-8")
    # the command line's build rendering the model alone (conftest.build_only): what it keeps and removes is
    # write_outputs' manifest, the same for every producer, at an eighth of a whole build
    result = build_only(out, {"model"})
    assert result.returncode == 0, result.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (out / "model" / "old.json").exists()
    assert (out / "model" / "corpus.json").exists()
