"""`luoshi lint` as people and CI run it: human, JSON and SARIF output, exit codes, configuration, the baseline,
the generated rule reference and the CI files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.lint.config import lint_codes
from luoshi.lint.docs import render_rules_markdown
from luoshi.lint.ruledocs import CHECK_DOCS

from conftest import FIXTURES, ROOT, check_golden

SARIF_SCHEMA = json.loads((FIXTURES / "lint" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

REGISTRY = '''角色 民政 "民政部门"
角色 财政 "财政部门"
辖区 重庆市 { 类型 直辖市 层级 市级 单位 市民政局 角色 民政 单位 市财政局 角色 财政 }
辖区 云阳县 { 类型 县 层级 县级 上级 重庆市 单位 县民政局 角色 民政 单位 县财政局 角色 财政 }
'''
CITY = '政策 city {\n  成文日期 2018年11月12日\n  辖区 重庆市\n  任务 1 "低保" {\n    牵头 市民政局\n    配合 市财政局\n  }\n}\n'
COUNTY = '政策 county {{\n  成文日期 2019年2月28日\n  辖区 云阳县\n  落实 city\n  任务 1 "低保" {{\n{units}    落实 city:1\n  }}\n}}\n'
GOOD_UNITS = "    牵头 县民政局\n    配合 县财政局\n"


def project(tmp_path: Path, units: str = GOOD_UNITS, lint_table: str = "") -> Path:
    (tmp_path / "pyproject.toml").write_text(f'[tool.luoshi]\npolicies = "policies"\n{lint_table}', encoding="utf-8")
    folder = tmp_path / "policies"
    folder.mkdir(exist_ok=True)
    (folder / "registry.units").write_text(REGISTRY, encoding="utf-8")
    (folder / "city.policy").write_text(CITY, encoding="utf-8")
    (folder / "county.policy").write_text(COUNTY.format(units=units), encoding="utf-8")
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(app, ["lint", *args])


@pytest.fixture(scope="module")
def seed_sarif():
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        result = run("--format", "sarif", "--no-baseline")
        baselined = run("--format", "sarif")
    return result, baselined


def test_sarif_of_the_seed_corpus_is_valid_sarif_2_1_0(seed_sarif):
    result, baselined = seed_sarif
    assert result.exit_code == 1  # 大足 leaves two 161 measures unimplemented (LS310, an error)
    validator = jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    for out in (result, baselined):
        log = json.loads(out.stdout)
        validator.validate(log)
    log = json.loads(result.stdout)
    run_ = log["runs"][0]
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert run_["columnKind"] == "unicodeCodePoints"
    dropped = next(r for r in run_["results"] if r["ruleId"] == "LS312" and "yyfbf" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
    assert rules[dropped["ruleIndex"]] == "LS312"
    assert dropped["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "policies/yyfbf-2019-22.policy"
    assert dropped["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "policies/yfbf-2018-161.policy"
    # against the baseline nothing is new but what an ignore comment in the source has reviewed
    results = json.loads(baselined.stdout)["runs"][0]["results"]
    assert {r.get("baselineState") for r in results if not r.get("suppressions")} == {"unchanged"}
    assert baselined.exit_code == 0


def test_sarif_with_new_baselined_and_suppressed_results_is_valid(tmp_path, monkeypatch):
    monkeypatch.chdir(project(tmp_path, units="    牵头 县财政局\n"))  # LS311, LS312: recorded in the baseline
    assert run("--write-baseline").exit_code == 0
    county = tmp_path / "policies" / "county.policy"
    text = COUNTY.format(units="    牵头 县财政局\n    配合 县财政局  # luoshi: ignore[LS304] 原文如此\n")
    county.write_text(text.replace("  }\n}\n", '  }\n  任务 2 "乙" {\n    原文 """乙。"""\n  }\n}\n'), encoding="utf-8")
    result = run("--format", "sarif", "--lang", "en")
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    states = {(r["ruleId"], r["baselineState"], bool(r["suppressions"])) for r in results}  # all-or-none (SARIF §3.27.23-24)
    assert states == {("LS301", "new", False), ("LS311", "unchanged", False), ("LS312", "unchanged", False),
                      ("LS330", "unchanged", False), ("LS304", "new", True)}
    [suppressed] = [r for r in results if r.get("suppressions")]
    assert suppressed["suppressions"] == [{"kind": "inSource", "justification": "原文如此"}]
    assert result.exit_code == 0  # LS301 is a warning
    assert run("--strict").exit_code == 1


def test_human_report_shows_the_parent_location_and_a_summary_table(tmp_path, monkeypatch):
    monkeypatch.chdir(project(tmp_path, units="    牵头 县财政局\n"))
    result = run("--lang", "zh")
    assert result.exit_code == 0, result.stderr  # warnings only
    err = result.stderr
    assert "policies/county.policy:6:" in err and "警告[LS311]" in err
    assert "上级牵头单位: policies/city.policy:5:" in err  # the related parent location
    assert "代码" in err and "LS311" in err.split("代码")[1] and "合计" in err
    assert run("--strict").exit_code == 1


def test_json_report_counts_and_fingerprints(tmp_path, monkeypatch):
    monkeypatch.chdir(project(tmp_path, units="    牵头 县财政局\n"))
    data = json.loads(run("--format", "json").stdout)
    assert data["warnings"] == sum(r["warning"] for r in data["summary"])
    codes = {d["code"] for d in data["diagnostics"]}
    assert {"LS311", "LS312"} <= codes
    assert all(len(d["fingerprint"]) >= 16 for d in data["diagnostics"])


def test_baseline_fails_only_on_new_findings(tmp_path, monkeypatch):
    monkeypatch.chdir(project(tmp_path, units="    牵头 县财政局\n"))
    assert run("--strict").exit_code == 1
    written = run("--write-baseline")
    assert written.exit_code == 0 and (tmp_path / "policies" / ".luoshi-lint-baseline.json").is_file()
    assert run("--strict").exit_code == 0
    county = tmp_path / "policies" / "county.policy"
    county.write_text("\n\n" + county.read_text(encoding="utf-8"), encoding="utf-8")  # lines move: still known
    assert run("--strict").exit_code == 0
    county.write_text(COUNTY.format(units="    负责 县财政局、县民政局\n"), encoding="utf-8")
    result = run("--strict", "--lang", "en")
    assert result.exit_code == 1 and "LS302" in result.stderr and "no longer occur" in result.stderr


def test_linting_one_file_against_the_baseline_counts_only_that_file(monkeypatch):
    """The seeds' reviewed baseline: one file's known findings are recognised, other files' are not called stale."""
    monkeypatch.chdir(ROOT)
    whole = json.loads(run("--format", "json").stdout)
    one = run("--lang", "en", "policies/yyfbf-2019-22.policy")
    assert one.exit_code == 0, one.stderr
    assert "no longer occur" not in one.stderr
    known = int(re.search(r"(\d+) more findings are in the baseline", one.stderr).group(1))
    entries = json.loads((ROOT / "policies" / ".luoshi-lint-baseline.json").read_text(encoding="utf-8"))["findings"]
    assert whole["baselined"] == len(entries) and whole["stale_baseline_entries"] == 0
    assert known == sum(e["file"] == "policies/yyfbf-2019-22.policy" for e in entries) < len(entries)


def test_write_baseline_never_overwrites_another_file_without_force(tmp_path, monkeypatch):
    monkeypatch.chdir(project(tmp_path))
    notes = tmp_path / "notes.json"
    notes.write_text("my notes", encoding="utf-8")
    result = run("--write-baseline", "--baseline", str(notes))
    assert result.exit_code == 1 and notes.read_text(encoding="utf-8") == "my notes" and "--force" in result.stderr
    assert run("--write-baseline", "--baseline", str(notes), "--force").exit_code == 0
    assert json.loads(notes.read_text(encoding="utf-8"))["format"] == "luoshi-lint-baseline"


def test_a_broken_baseline_is_an_error_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.chdir(project(tmp_path))
    (tmp_path / "policies" / ".luoshi-lint-baseline.json").write_text("{not json", encoding="utf-8")
    result = run()
    assert result.exit_code == 1 and "JSON" in result.stderr and "Traceback" not in result.stderr


def test_configuration_from_pyproject(tmp_path, monkeypatch):
    table = '[tool.luoshi.lint]\nseverity = { LS311 = "error" }\ndisable = ["LS313"]\nper-file-ignores = { "city.policy" = ["LS332"] }\n'
    monkeypatch.chdir(project(tmp_path, units="    牵头 县财政局\n", lint_table=table))
    data = json.loads(run("--format", "json").stdout)
    assert {d["code"]: d["severity"] for d in data["diagnostics"]}["LS311"] == "error"
    assert "LS313" not in {d["code"] for d in data["diagnostics"]}
    assert run().exit_code == 1


def test_configuration_mistakes_point_at_pyproject(tmp_path, monkeypatch):
    table = '[tool.luoshi.lint]\ndisable = ["LS999"]\nseverity = { LS302 = "fatal" }\ncolour = true\n'
    monkeypatch.chdir(project(tmp_path, lint_table=table))
    result = run("--lang", "en")
    assert result.exit_code == 1
    assert "pyproject.toml:4:13: error[LS392]: 'LS999' is not a lint rule code" in result.stderr
    assert "pyproject.toml:5:23: error[LS392]: severity 'fatal'" in result.stderr
    assert "pyproject.toml:6:1: error[LS392]: unknown lint setting 'colour'" in result.stderr
    assert '4 | disable = ["LS999"]' in result.stderr  # the setting is shown as written


def test_selecting_files_reports_only_their_findings(tmp_path, monkeypatch):
    monkeypatch.chdir(project(tmp_path, units="    牵头 县财政局\n"))
    data = json.loads(run("policies/city.policy", "--format", "json", "--no-baseline").stdout)
    assert {d["span"]["file"] for d in data["diagnostics"]} <= {"policies/city.policy"}


def test_explain_and_unknown_code():
    assert "LS312 dropped-unit" in run("--explain", "ls312").stdout
    result = run("--explain", "LS999")
    assert result.exit_code == 1 and "LS999" in result.stderr


def test_rules_reference_is_generated_from_the_registry(update_golden):
    """docs/rules.md is `luoshi lint --rules-doc`; rerun with --update-golden after changing a rule."""
    check_golden(ROOT / "docs" / "rules.md", render_rules_markdown(), update_golden)


def test_rules_reference_has_one_section_with_an_example_per_rule():
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)
    for code in [*lint_codes(), *(d.code for d in CHECK_DOCS)]:
        [section] = [s for s in sections if s.startswith(f"{code} ")]
        assert "触发 · triggers:" in section and "改正后 · fixed:" in section, code
        assert f"[{code}]:" in section, f"{code}: the page shows no finding for its example"


def test_pre_commit_hook_and_ci_example_run_luoshi_lint():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    lint_hook = next(h for h in hooks if h["id"] == "luoshi-lint")
    assert lint_hook["entry"] == "luoshi lint" and lint_hook["pass_filenames"] is False
    workflow = yaml.safe_load((ROOT / "docs" / "ci" / "luoshi-lint.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["lint"]["steps"]
    commands = "\n".join(s.get("run", "") for s in steps)
    assert "luoshi lint --format sarif > luoshi-lint.sarif" in commands
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "luoshi-lint.sarif"
    assert workflow["permissions"]["security-events"] == "write"


def test_links_to_missing_tasks_fail_the_lint_with_the_resolver_error(tmp_path, monkeypatch):
    monkeypatch.chdir(project(tmp_path))
    county = tmp_path / "policies" / "county.policy"
    county.write_text(county.read_text(encoding="utf-8").replace("落实 city:1", "落实 city:9"), encoding="utf-8")
    result = run("--lang", "en")
    assert result.exit_code == 1 and "error[LS204]: policy 'city' has no task '9'" in result.stderr
    assert "lint" in CliRunner().invoke(app, ["--help"]).stdout
