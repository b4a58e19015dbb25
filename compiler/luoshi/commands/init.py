"""`luoshi init 广州市天河区 [DIR]`: start a project for any jurisdiction of China.

Writes pyproject.toml with `[tool.luoshi]`, policies/units/<name>.units declaring the jurisdiction with its place
in the hierarchy (the division data gives kind, level and parent), a README stub and a CI example. The standard
departments of the level come from luoshi's template when the project compiles (standard_units.py): the units file
lists them in a comment, so a user sees what is there and declares only the local differences."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from ..diagnostics.lang import Lang
from ..driver.pipeline import compile_paths
from ..driver.project import Project
from ..model import Unit
from ..semantics.divisions import Division, load
from ..semantics.standard_units import NOTE
from ._corpus import ForceOpt, LangOpt, fail, say

CI = """# luoshi 持续集成示例（GitHub Actions）：每次提交检查政策文件并生成输出。
# CI example: check the policies and build the outputs on every push.
name: luoshi
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install luoshi
      - run: luoshi check
      - run: luoshi lint
      - run: luoshi build
"""


def command(
    name: Annotated[str, typer.Argument(help="辖区，可写上级路径，如 广州市天河区、重庆市万州区 · the jurisdiction, e.g. 广州市天河区", show_default=False)],
    folder: Annotated[Path, typer.Argument(help="项目文件夹（默认当前目录）· the project folder (default: here)")] = Path("."),
    force: ForceOpt = False,
    lang: LangOpt = Lang.both,
) -> None:
    """为任一辖区新建 luoshi 项目：pyproject.toml、policies/ 与单位名录、README 和持续集成示例。
    · Start a luoshi project for any jurisdiction: settings, policies/ with its registry, a README, a CI example."""
    division = _division(name, lang)
    files = _files(division)
    existing = [str(folder / rel) for rel in files if (folder / rel).exists()]
    if existing and not force:
        fail(f"已存在，未覆盖：{'、'.join(existing)}", f"already exist, not overwritten: {', '.join(existing)}", lang,
             hint=("加 --force 覆盖，或另选文件夹", "add --force to replace them, or choose another folder"))
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    units_file = folder / "policies" / "units" / f"{division.name}.units"
    comp = compile_paths(None, Project(folder.resolve(), (folder / "policies").resolve(), (folder / "build").resolve()))
    standard = [u for u in comp.corpus.units if u.jurisdiction == division.name and u.note == NOTE]
    units_file.write_text(files[f"policies/units/{division.name}.units"] + _listing(standard), encoding="utf-8")
    below = sum(1 for j in comp.corpus.jurisdictions if j.parent == division.name)
    typer.echo(say(f"已在 {folder} 新建 {division.name} 的项目：{len(standard)} 个标准单位，下辖 {below} 个辖区；"
                   f"下一步：luoshi import 文件 -o policies/编号.policy",
                   f"started a project for {division.name} in {folder}: {len(standard)} standard units, {below} "
                   f"jurisdictions below it; next: luoshi import FILE -o policies/ID.policy", lang), err=True)


def register(app: typer.Typer) -> None:
    app.command("init")(command)


def _division(name: str, lang: str) -> Division:
    data = load()
    found = data.find(name)
    if len(found) == 1:
        return found[0]
    if found:
        paths = ["".join(a.name for a in reversed(data.ancestors(d.code))) + d.name for d in found]
        fail(f"「{name}」可指多个辖区：{'、'.join(paths)}", f"'{name}' can mean several jurisdictions: {', '.join(paths)}", lang,
             hint=("写出上级，如 " + paths[0], "name the parents too, e.g. " + paths[0]))
    fail(f"行政区划数据中没有「{name}」", f"'{name}' is not in the division data", lang,
         hint=("写全称，可带上级，如 广州市天河区、重庆市万州区", "write the full name, with its parents if needed, e.g. 广州市天河区"))


def _files(d: Division) -> dict[str, str]:
    data = load()
    parent = data.ancestors(d.code)[0].name if d.parent else None
    path = "".join(a.name for a in reversed(data.ancestors(d.code))) + d.name
    units = (f"# {path} · 单位名录（unit registry）\n"
             f"# 由 luoshi init 生成。上级辖区、下辖乡镇（街道）和本级常设部门由 luoshi 按行政区划数据\n"
             f"# （{data.source}）和标准单位模板补全，无需在此声明；这里只写本地的不同之处：\n"
             f"# 模板没有的单位、名称不同的单位（声明的单位优先，同一角色不再加模板单位）。\n\n"
             f"辖区 {d.name} {{\n  类型 {d.kind or '县'}\n  层级 {d.level}\n"
             + (f"  上级 {parent}\n" if parent else "") + "}\n")
    return {
        "pyproject.toml": f'[project]\nname = "{d.code}-policies"\nversion = "0.1.0"\ndescription = "{path}政策文件（luoshi）"\n\n'
                          '[tool.luoshi]\npolicies = "policies"\noutput = "build"\n',
        f"policies/units/{d.name}.units": units,
        "README.md": f"# {path}政策文件\n\n用 [luoshi](https://pypi.org/project/luoshi/) 编码的{path}政策文件。\n\n"
                     "```\nluoshi import 文件.docx -o policies/编号.policy   # 导入政策文件，审核其中的「待定」\n"
                     "luoshi check                                     # 检查\nluoshi build                                     # 生成责任清单、分工表和网站\n"
                     "luoshi units " + d.name + "                             # 浏览单位名录\n```\n",
        ".github/workflows/luoshi.yml": CI,
    }


def _listing(units: Iterable[Unit]) -> str:
    lines = ["\n# ── 标准单位（来自模板，已可直接使用；如本地名称不同，在上面的辖区块中声明）──"]
    for u in sorted(units, key=lambda u: (u.kind.value != "unit", u.role or "", u.name)):
        lines.append(f"# {u.name}（角色 {u.role}）" + (f" 别名 {'、'.join(u.aliases[:4])}" if u.aliases else ""))
    return "\n".join(lines) + "\n"
