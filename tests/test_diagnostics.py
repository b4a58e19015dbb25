"""Each diagnostic, rendered as a user sees it: file:line:col, the source line, a caret, Chinese with English.

Every case in tests/cases/diagnostics/<code>_<name>.policy is compiled on its own (no project corpus) and its
rendering compared with <name>.expected. The file name's code must be among the codes emitted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from luoshi.diagnostics.codes import CODES
from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import Project
from luoshi.diagnostics.render import render_human

from conftest import ROOT, check_golden

CASES = ROOT / "tests" / "cases" / "diagnostics"


def _compile_alone(path: Path, tmp_path: Path):
    project = Project(root=tmp_path, policies=tmp_path / "no-policies", output=tmp_path / "build")
    return compile_paths([str(path)], project)


@pytest.mark.parametrize("case", sorted(CASES.glob("*.policy")), ids=lambda p: p.stem)
def test_diagnostic_rendering(case: Path, tmp_path, monkeypatch, update_golden):
    monkeypatch.chdir(CASES)
    comp = _compile_alone(Path(case.name), tmp_path)
    diags = comp.diagnostics()
    expected_code = case.stem.split("_")[0].upper()
    assert expected_code in {d.code for d in diags}, [d.code for d in diags]
    text = render_human(diags, comp.sources, colour=False, lang="both")
    assert f"{case.name}:" in text  # file:line:col
    check_golden(case.with_suffix(".expected"), text, update_golden)


def test_every_code_has_a_case():
    covered = {p.stem.split("_")[0].upper() for p in CASES.glob("*.policy")}
    core = {c for c in CODES if c < "LS300"}  # feature codes (LS3xx+) are tested with their features
    untested = sorted(core - covered - {"LS102", "LS103", "LS105", "LS106"})  # tested below; LS106 (fmt) in test_unparse.py
    assert untested == []


def test_non_utf8_file_reports_encoding(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gbk.policy").write_bytes('政策 p {\n  标题 "关于加强城市特殊困难群众救助帮扶工作的意见"\n}\n'.encode("gb18030"))
    comp = _compile_alone(Path("gbk.policy"), tmp_path)
    [diag] = comp.diagnostics()
    assert diag.code == "LS102" and diag.span.line == 1
    assert "GB18030" in (diag.hint_zh or "")


def test_bom_is_accepted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bom.policy").write_bytes(b"\xef\xbb\xbf" + '政策 p { 标题 "测试" }\n'.encode("utf-8"))
    comp = _compile_alone(Path("bom.policy"), tmp_path)
    assert comp.diagnostics() == []
    assert comp.corpus.policy("p").title == "测试"


def test_missing_path_or_id_is_reported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = _compile_alone(Path("nope-2019-1"), tmp_path)
    assert [d.code for d in comp.diagnostics()] == ["LS105"]


@pytest.mark.parametrize("case", ["ls100_unexpected_token", "ls201_unknown_unit"])
def test_cli_exit_code_and_no_traceback(case, tmp_path):
    (tmp_path / f"{case}.policy").write_bytes((CASES / f"{case}.policy").read_bytes())
    result = subprocess.run([sys.executable, "-m", "luoshi", "check", f"{case}.policy", "--lang", "zh"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{case}.policy:" in result.stderr


def test_cli_json_format(tmp_path):
    (tmp_path / "case.policy").write_bytes((CASES / "ls201_unknown_unit.policy").read_bytes())
    result = subprocess.run([sys.executable, "-m", "luoshi", "check", "case.policy", "--format", "json"],
                            cwd=tmp_path, capture_output=True, text=True)
    import json
    payload = json.loads(result.stdout)
    assert payload["errors"] == 1
    [d] = payload["diagnostics"]
    assert d["code"] == "LS201" and d["span"]["line"] == 15 and "市民政局" in d["hint_zh"]
