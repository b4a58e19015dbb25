"""Compile small in-memory corpora for unit tests of the rules."""

from __future__ import annotations

from pathlib import Path

from luoshi.driver.pipeline import Compilation, compile_paths
from luoshi.driver.project import Project

REGISTRY = '''角色 民政 "民政部门"
角色 财政 "财政部门"
角色 下级政府 "下级政府"
角色 人力社保 "人社"
辖区 重庆市 {
  类型 直辖市 层级 市级
  单位 市民政局 角色 民政 别名 重庆市民政局
  单位 市财政局 角色 财政
  集体 各区县政府 角色 下级政府 别名 "各区县(自治县)人民政府"
}
辖区 云阳县 {
  类型 县 层级 县级 上级 重庆市
  单位 县民政局 角色 民政 别名 云阳县民政局
  单位 县财政局 角色 财政
  集体 "各乡镇（街道）" 角色 下级政府 别名 "各乡镇、街道" 成员 青龙街道办事处
  辖区 青龙街道 { 类型 街道 层级 乡级 单位 青龙街道办事处 }
}
辖区 璧山区 {
  类型 区 层级 县级 上级 重庆市
  单位 区民政局 角色 民政
  单位 区财政局 角色 财政
  单位 区人力社保局 角色 人力社保
  单位 区就业人才中心 隶属 区人力社保局
  单位 区社保中心 隶属 区人力社保局
  群组 区联席会议成员单位 成员 区民政局、区财政局、区人力社保局
}
'''


def small_project(tmp_path: Path) -> Path:
    """A small project (the test registry and one policy) under `tmp_path`: each command on it takes about a
    second."""
    root = tmp_path / "small"
    (root / "policies").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "policies"\noutput = "build"\n', encoding="utf-8")
    (root / "policies" / "registry.units").write_text(REGISTRY, encoding="utf-8")
    (root / "policies" / "p.policy").write_text(
        '政策 small-1 { 辖区 璧山区 任务 1 "甲" { 牵头 区民政局 配合 区财政局 时限 2019年3月底前 } }\n', encoding="utf-8")
    return root


def seed_plan() -> object:
    """The comply plan of the repository's own corpus (the seeds), compiled clean."""
    from luoshi.comply.checks import compile_plan

    comp = compile_paths(None)
    assert not comp.sink.has_errors()
    return compile_plan(comp.corpus)


def compile_texts(tmp_path: Path, files: dict[str, str], registry: bool = True) -> Compilation:
    folder = tmp_path / "policies"
    folder.mkdir(exist_ok=True)
    if registry:
        (folder / "registry.units").write_text(REGISTRY, encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    project = Project(root=tmp_path, policies=folder, output=tmp_path / "build")
    return compile_paths(None, project)


def codes(comp: Compilation) -> list[str]:
    return [d.code for d in comp.diagnostics()]


def deadline_text(d: object) -> str:
    """A deadline node as the draft prints it after 时限 (without its label): 2019年3月底前 · 每年1次."""
    from luoshi.syntax import ast, unparse

    assert isinstance(d, ast.Due | ast.Period | ast.Ongoing | ast.Recurring | ast.EventLimit), d
    return unparse.deadline_spec(d)


def target_parts(t: object) -> tuple[str, str, str]:
    """A target node as (metric, rule, options) the way the draft prints them, the note left out:
    ("农村公路列养率", "稳定在 100%", "截至 2022年底") · ("社会救助协理员人数", "至少 1名", '每 "村（社区）"')."""
    import dataclasses

    from luoshi.syntax import ast, unparse

    assert isinstance(t, ast.Target), t
    bare = dataclasses.replace(t, note=None)
    rule_only = dataclasses.replace(bare, by=None, by_word=None, scope=(), per=None, condition=None, baseline=None,
                                    over=None, shared=False)
    metric = unparse.name_token(t.metric.text, t.metric.quoted)
    rule = unparse.target_spec(rule_only)[len(metric) + 1:]
    return t.metric.text, rule, unparse.target_spec(bare)[len(metric) + 1 + len(rule):].strip()
