"""Ids, numbers and paths (issue 23): policy ids that cannot name a file are LS107 at `check` time, two policies
with one 文号 are LS221, full-width digits in task ids are the same task, outputs do not depend on the working
folder, SARIF URIs are percent-encoded, and `luoshi site --build` says the mkdocs warning it aborts on."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest
import typer

from conftest import ROOT, SEED_BUILD_ENV, build_only
from helpers import codes, compile_texts
from luoshi.lint.sarif import artifact_location

HEADER = "  辖区 云阳县\n  层级 县级\n  成文日期 2019年1月1日\n"


def policy(pid: str, body: str = "", number: str | None = None) -> str:
    numbered = f'  文号 "{number}"\n' if number else ""
    return f"政策 {pid} {{\n{numbered}{HEADER}{body}}}\n"


@pytest.mark.parametrize("pid, fragment", [
    ("a/b", "'/'"), ("yy.fbf", None), (".hidden", "starts with '.'"), ("..", "starts with '.'"), ("a*b", "'*'"), ("a\\b", "a file name cannot hold"),
    ("x" * 241, "longer than 240 bytes"), ("甲" * 81, "longer than 240 bytes"),
])
def test_a_policy_id_that_cannot_name_a_file_is_ls106_at_its_place(tmp_path, pid, fragment):
    comp = compile_texts(tmp_path, {"p.policy": policy(pid, '  任务 1 "甲" { 牵头 县民政局 }\n')})
    found = [d for d in comp.diagnostics() if d.code == "LS107"]
    if fragment is None:  # a dot inside an id is a file name's dot, not a folder: allowed
        assert found == []
        return
    assert len(found) == 1 and (found[0].span.line, found[0].span.column) == (1, 4) and fragment in found[0].en


def test_two_policies_with_one_number_are_ls221(tmp_path):
    comp = compile_texts(tmp_path, {
        "a.policy": policy("a-2019-1", number="云阳府办发〔2019〕22号"),
        "b.policy": policy("b-2019-1", number="云阳府办发[2019]22号"),   # the same number, half-width brackets
        "c.policy": policy("c-2019-1", number="云阳府办发〔2019〕23号"),
    })
    found = [d for d in comp.diagnostics() if d.code == "LS221"]
    assert len(found) == 1 and found[0].span.file.endswith("b.policy") and "a-2019-1" in found[0].en
    assert found[0].related and found[0].related[0].span.file.endswith("a.policy")


def test_full_width_task_ids_are_the_same_task(tmp_path):
    comp = compile_texts(tmp_path, {"p.policy": policy("p-2019-1", '  任务 １ "甲" { 牵头 县民政局 }\n  任务 1 "乙" { 牵头 县民政局 }\n')})
    assert "LS202" in codes(comp)  # one id written twice, not two tasks
    comp = compile_texts(tmp_path, {"p.policy": policy("p-2019-1", '  任务 ２.１ "甲" { 牵头 县民政局 }\n'),
                                    "q.policy": policy("q-2019-1", '  任务 1 "乙" { 牵头 县民政局 落实 p-2019-1:2.1 }\n')
                                    .replace("  辖区", "  落实 p-2019-1\n  辖区")})
    assert "LS204" not in codes(comp)
    task = comp.corpus.policy("p-2019-1").tasks[0]
    assert task.id == "2.1"


def test_sarif_uris_are_percent_encoded(tmp_path):
    file = tmp_path / "政策 文件#1%.policy"
    location = artifact_location(str(file), tmp_path)
    assert location == {"uri": "%E6%94%BF%E7%AD%96%20%E6%96%87%E4%BB%B6%231%25.policy", "uriBaseId": "%SRCROOT%"}
    assert unquote(location["uri"]) == file.name
    outside = artifact_location("/elsewhere/a b.policy", tmp_path)
    assert outside == {"uri": "file:///elsewhere/a%20b.policy"}


def test_outputs_do_not_depend_on_the_working_folder(tmp_path, seed_build):
    # from the root: the session's seed build (conftest.py); from policies/units/: the same command in the same
    # environment, rendering only the two outputs that hold paths (the checklists, graph and tables hold none)
    from_units = tmp_path / "from-units"
    result = build_only(from_units, {"model", "compliance"}, cwd=ROOT / "policies" / "units", env=SEED_BUILD_ENV)
    assert result.returncode == 0, result.stderr
    for name in ("model/corpus.json", "compliance/checks.json"):
        assert (seed_build / name).read_bytes() == (from_units / name).read_bytes(), name
    spans = json.loads((tmp_path / "from-units" / "model" / "corpus.json").read_text(encoding="utf-8"))
    assert spans["policies"][0]["file"].startswith("policies/")


def test_site_build_says_the_warning_mkdocs_aborts_on(tmp_path, capsys):
    from luoshi.commands.site import _build
    from luoshi.driver.project import Project

    docs = tmp_path / "site"
    docs.mkdir()
    (docs / "index.md").write_text("# 首页\n\n[缺失](missing.md)\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nsite_dir: html\n", encoding="utf-8")
    with pytest.raises((typer.Exit, SystemExit)):
        _build(Project(tmp_path, tmp_path / "policies", tmp_path / "build"), docs, "both")
    err = capsys.readouterr().err
    assert "mkdocs 构建失败" in err and "missing.md" in err
