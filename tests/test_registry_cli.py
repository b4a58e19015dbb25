"""The registry on the command line (issue 18): `luoshi init` for any jurisdiction then `luoshi import` and
`luoshi check` resolving the units of a real document with no registry editing; `luoshi units`; `--project` and
LUOSHI_PROJECT from another directory; a file path where a policy id goes; help that fits 80 columns."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import typer

from luoshi import cli, helptext

from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "registry"


def run(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in ("LUOSHI_PROJECT", "LUOSHI_LANG")}
    environment.update({"COLUMNS": "200", **env})
    return subprocess.run([sys.executable, "-m", "luoshi", *args], cwd=cwd, capture_output=True, text=True,
                          env=environment, timeout=600)


def named_units(policy_text: str) -> set[str]:
    """The unit names a policy's 负责/牵头/配合/发文机关/主送/抄送 lines give."""
    names = set()
    for line in policy_text.splitlines():
        m = re.match(r"\s*(负责|牵头|配合|共同负责|发文机关|主送|抄送)\s+(.*)", line)
        if m:
            names |= {n.strip().strip('"') for n in re.split(r"、(?![^（]*）)", m.group(2)) if n.strip()}
    return names


def proposed_units(units_file: Path) -> set[str]:
    """The units `luoshi import` could not find and proposes to declare."""
    if not units_file.exists():
        return set()
    return {m.group(2).strip('"') for m in (re.match(r"\s*(单位|集体|群组)\s+(\"[^\"]+\"|\S+)", line)
                                            for line in units_file.read_text(encoding="utf-8").splitlines()) if m}


def init_import_check(tmp_path: Path, jurisdiction: str, document: str) -> tuple[set[str], set[str]]:
    project = tmp_path / "project"
    project.mkdir()
    done = run("init", jurisdiction, cwd=project)
    assert done.returncode == 0, done.stderr
    assert {"pyproject.toml", "README.md"} <= {p.name for p in project.iterdir()}
    assert (project / ".github" / "workflows" / "luoshi.yml").is_file()
    shutil.copy(FIXTURES / document, project / "doc.txt")
    imported = run("import", "doc.txt", "-o", "policies/doc.policy", cwd=project)
    assert imported.returncode == 0, imported.stderr
    checked = run("check", "policies/doc.policy", cwd=project)
    assert "Traceback" not in checked.stderr
    names = named_units((project / "policies" / "doc.policy").read_text(encoding="utf-8"))
    return names, proposed_units(project / "policies" / "doc.units")


def test_init_and_import_a_shanghai_district_resolve_most_units_unedited(tmp_path):
    names, unknown = init_import_check(tmp_path, "上海市青浦区", "sh-qingpu_gonggong-xiaofang.txt")
    resolved = names - unknown
    # measured: 33 of 39 (the others: 区双拥办, 区城运中心, 各行业部门, two companies and a misread title line)
    assert len(names) >= 30 and len(resolved) >= 0.8 * len(names), (sorted(resolved), sorted(unknown))
    assert {"区卫健委", "区建管委", "区规划资源局", "区城管执法局", "公安青浦分局", "各街镇"} <= resolved


def test_init_and_import_a_guangzhou_district(tmp_path):
    names, unknown = init_import_check(tmp_path, "广州市天河区", "gz-tianhe_youeryuan-zhaosheng.txt")
    assert "广州市天河区教育局" in names - unknown  # the issuer, written with the city in front


def test_init_writes_the_jurisdiction_in_its_hierarchy_and_refuses_to_overwrite(tmp_path):
    done = run("init", "重庆市万州区", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    units = (tmp_path / "policies" / "units" / "万州区.units").read_text(encoding="utf-8")
    assert "辖区 万州区 {" in units and "上级 重庆市" in units and "类型 区" in units
    assert "# 区教委（角色 教育）" in units  # the standard units, listed for the reader
    assert "[tool.luoshi]" in (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    again = run("init", "重庆市万州区", cwd=tmp_path)
    assert again.returncode == 1 and "已存在" in again.stderr and "Traceback" not in again.stderr
    unknown = run("init", "不存在区", cwd=tmp_path / "policies")
    assert unknown.returncode == 1 and "行政区划数据中没有" in unknown.stderr
    ambiguous = run("init", "朝阳区", cwd=tmp_path / "policies")
    assert ambiguous.returncode == 1 and "北京市朝阳区" in ambiguous.stderr


def test_init_of_a_district_whose_name_another_city_shares_gets_its_own_divisions(tmp_path):
    """西湖区 is 杭州市's and 南昌市's, 朝阳区 北京市's and 长春市's: the project written by `init` declares only the
    district with its 上级, and it got no standard units and no townships (the parent was not itself declared)."""
    for path, own, other in (("浙江省杭州市西湖区", "北山街道", "丁公路街道"), ("江西省南昌市西湖区", "丁公路街道", "北山街道"),
                             ("吉林省长春市朝阳区", "前进街道", "三里屯街道"), ("北京市朝阳区", "三里屯街道", "前进街道")):
        project = tmp_path / path
        project.mkdir()
        done = run("init", path, cwd=project)
        assert done.returncode == 0 and "0 个标准单位" not in done.stdout, done.stdout + done.stderr
        found = run("units", "--search", "街道", cwd=project).stdout
        assert own in found and other not in found, (path, found[:400])


def test_units_shows_a_units_role_aliases_and_counterparts():
    out = run("units", "县卫健委", "-j", "云阳县")
    assert out.returncode == 0, out.stderr
    assert "云阳县/县卫生健康委" in out.stdout and "重庆市/市卫生健康委" in out.stdout
    members = run("units", "重庆市/各区县政府").stdout
    assert "成员 38 个" in members
    found = run("units", "--search", "人和街道").stdout
    assert "人和街道/人和街道办事处" in found


def test_project_option_and_environment_work_from_another_directory(tmp_path):
    by_option = run("--project", str(ROOT), "check", "yyfbf-2019-22", cwd=tmp_path)
    assert by_option.returncode == 0, by_option.stderr
    by_env = run("table", "dzmf-2019-26", cwd=tmp_path, LUOSHI_PROJECT=str(ROOT))
    assert by_env.returncode == 0 and "大足民发〔2019〕26号" in by_env.stdout
    assert not (tmp_path / ".luoshi-cache").exists()  # the cache is the project's, not the working directory's
    missing = run("--project", str(tmp_path / "nowhere"), "check", cwd=tmp_path)
    assert missing.returncode == 2 and "项目文件夹不存在" in missing.stderr
    outside = run("table", "dzmf-2019-26", cwd=tmp_path)  # no project here nor above: said so, with what to do
    assert outside.returncode == 1 and "这里不是 luoshi 项目" in outside.stderr and "--project" in outside.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_file_path_goes_where_a_policy_id_does():
    out = run("table", "policies/dzmf-2019-26.policy")
    assert out.returncode == 0 and "大足民发〔2019〕26号" in out.stdout


# ───────────── help ─────────────

def columns(line: str) -> int:
    """Terminal columns of a line: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def commands() -> list[str]:
    return sorted(typer.main.get_command(cli.app).commands)


def test_help_at_80_columns_cuts_nothing_for_every_command():
    app = typer.main.get_command(cli.app)
    for name in ["", *commands()]:
        out = run(*([name] if name else []), "--help", COLUMNS="80")
        assert out.returncode == 0, (name, out.stderr)
        assert "…" not in out.stdout, name
        assert max(map(columns, out.stdout.splitlines())) <= 80, name
        flat = re.sub(r"[\s│╭╮╰╯─]", "", out.stdout)
        command = app.commands[name] if name else app
        for param in command.params:
            zh = helptext.pick(getattr(param, "help", None), "zh")
            if zh:
                assert re.sub(r"\s", "", zh)[:8] in flat and re.sub(r"\s", "", zh)[-8:] in flat, (name, zh)


def test_luoshi_lang_chooses_the_language_of_the_help():
    zh = run("comply", "--help", COLUMNS="80", LUOSHI_LANG="zh").stdout
    en = run("comply", "--help", COLUMNS="80", LUOSHI_LANG="en").stdout
    both = run("comply", "--help", COLUMNS="80").stdout
    assert "核查日期" in zh and "check as of this date" not in zh
    assert "check as of this date" in en and "核查日期" not in en
    assert "核查日期" in both and "check as of" in both


def test_outside_a_project_the_cache_goes_to_the_user_cache_directory(tmp_path):
    here, home = tmp_path / "here", tmp_path / "cache-home"
    here.mkdir()
    shutil.copy(ROOT / "policies" / "dzmf-2019-26.policy", here)
    done = run("check", "dzmf-2019-26.policy", cwd=here, XDG_CACHE_HOME=str(home))
    assert "Traceback" not in done.stderr
    assert [p.name for p in here.iterdir()] == ["dzmf-2019-26.policy"]  # nothing left where it ran
    assert any(p.name == "ast" for p in (home / "luoshi").rglob("ast"))
