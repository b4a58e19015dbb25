"""Jurisdictions that do not collide (issue 24, item 3): a name is looked up in the policy's own 辖区 and up its
chain, so declaring one more city with the same unit names (市政府办公厅, 市财政局 …) changes nothing elsewhere."""

from __future__ import annotations

import shutil
from pathlib import Path

from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import Project

from helpers import codes, compile_texts

ROOT = Path(__file__).resolve().parents[1]

# A third 直辖市 whose units carry the names 重庆市 and 上海市 use: every name of the corpus's cities, again.
TIANJIN = '''辖区 天津市 {
  类型 直辖市
  层级 市级
  上级 中国
  单位 市政府 角色 政府
  单位 市政府办公厅 角色 政府办公室
  单位 市委办公厅 角色 党委办公室
  单位 市民政局 角色 民政
  单位 市财政局 角色 财政
  单位 市农业农村委 角色 农业农村
  集体 各区政府 角色 下级政府
  集体 有关单位 角色 有关单位
}
'''


# The same in the roles of tests/helpers.py's small registry (重庆市 › 云阳县, 璧山区).
TIANJIN_SMALL = """辖区 天津市 {
  类型 直辖市 层级 市级
  单位 市民政局 角色 民政
  单位 市财政局 角色 财政
}
"""


def _compile(folder: Path):
    return compile_paths(None, Project(folder.parent, folder, folder.parent / "build"))


def test_a_further_city_leaves_every_file_as_it_was(tmp_path, monkeypatch):
    copy = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", copy)
    monkeypatch.chdir(tmp_path)
    before = _compile(copy)
    (copy / "units" / "天津市.units").write_text(TIANJIN, encoding="utf-8")
    after = _compile(copy)
    assert codes(after) == codes(before) == []
    # every unit every policy names resolves to the same unit as before
    assert after.corpus.policies == before.corpus.policies


def test_a_document_beside_a_policy_looks_up_in_the_policys_jurisdiction(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"t.units": TIANJIN_SMALL, "a.policy": '''
      文件 d { 发文机关 市民政局 }
      政策 a { 辖区 云阳县 任务 1 { 负责 县民政局 } }'''})
    assert codes(comp) == []
    assert [r.unit for r in comp.corpus.policy("d").issuers] == ["重庆市/市民政局"]
    assert comp.corpus.policy("d").jurisdiction is None  # looked up there; not declared there


def test_a_document_alone_with_an_ambiguous_name_is_told_to_name_its_jurisdiction(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"t.units": TIANJIN_SMALL, "d.policy": "文件 d { 发文机关 市民政局 }"})
    [d] = comp.diagnostics()
    assert d.code == "LS218" and "天津市/市民政局" in d.zh and "重庆市/市民政局" in d.zh
    assert "「文件」块中写明「辖区」" in d.hint_zh
    fixed = compile_texts(tmp_path, {"d.policy": "文件 d { 辖区 天津市 发文机关 市民政局 }"})
    assert codes(fixed) == []
    assert [r.unit for r in fixed.corpus.policy("d").issuers] == ["天津市/市民政局"]
