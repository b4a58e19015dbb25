"""`luoshi lint` on the real seed corpus: the mismatches officials would otherwise find by eye, and the project's
own reviewed baseline."""

from __future__ import annotations

import shutil

import json

import pytest
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.lint import lint
from luoshi.lint.baseline import fingerprints, read_baseline
from luoshi.lint.config import load_config
from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import Project, find_project

from conftest import ROOT


@pytest.fixture(scope="module")
def seeds():
    """The corpus compiled from the repository root, as `luoshi lint` sees it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        project = find_project()
        comp = compile_paths(None, project)
        assert not comp.sink.has_errors()
        yield project, comp, lint(comp.corpus, comp.sources, load_config(project)[0]).diagnostics


def _of(diags, code, file_part):
    return [d for d in diags if d.code == code and file_part in d.span.file]


def test_yunyang_drops_the_planning_bureau_of_161_2_3(seeds):
    _, _, diags = seeds
    [d] = [d for d in _of(diags, "LS312", "yyfbf-2019-22") if "yfbf-2018-161:2.3" in d.zh]
    assert "市规划自然资源局" in d.zh
    assert d.related[0].span.file.endswith("yfbf-2018-161.policy")  # the parent's unit, shown as related
    assert len(_of(diags, "LS312", "yyfbf-2019-22")) == 1  # every other 161 unit has its county counterpart


def test_yunyang_implements_every_measure_of_161_with_counterpart_leads(seeds):
    _, _, diags = seeds
    assert _of(diags, "LS310", "yyfbf-2019-22") == [] and _of(diags, "LS311", "yyfbf-2019-22") == []


def test_yunyang_starts_free_textbooks_a_year_after_161(seeds):
    _, _, diags = seeds
    [d] = _of(diags, "LS316", "yyfbf-2019-22")
    assert "2019-01-01" in d.zh and "2018-01-01" in d.zh and "yfbf-2018-161:2.5" in d.zh


def test_dazu_covers_neither_161_4_2_nor_4_4(seeds):
    _, _, diags = seeds
    missing = sorted(d.zh.split("没有落实 ")[1].split("「")[0] for d in _of(diags, "LS310", "dzmf-2019-26"))
    assert missing == ["yfbf-2018-161:4.2", "yfbf-2018-161:4.4"]
    assert all(d.severity.value == "error" for d in _of(diags, "LS310", ""))


def test_dazu_hands_other_departments_measures_to_the_subdistricts(seeds):
    _, _, diags = seeds
    leads = _of(diags, "LS311", "dzmf-2019-26")
    # 大足's issuer, 区民政局, answers for 市民政局's measures; 2.4 hands five other departments' to 各镇街
    assert sorted(d.zh.split("上级 ")[1].split(" ")[0] for d in leads) == [f"yfbf-2018-161:2.{i}" for i in range(3, 8)]
    assert all("dzmf-2019-26:2.4" in d.zh and "各镇街" in d.zh for d in leads)
    assert not any("市民政局" in d.zh for d in _of(diags, "LS312", "dzmf-2019-26"))


def test_bishan_table_rows_without_a_single_lead(seeds):
    _, _, diags = seeds
    rows = {d.zh.split(" ")[0] for d in _of(diags, "LS302", "bishan-2020-shjz")}
    assert {"bishan-2020-shjz:2", "bishan-2020-shjz:13", "bishan-2020-shjz:1", "bishan-2020-shjz:35"} <= rows


def test_within_policy_rules_find_the_seed_schedules_and_targets_consistent(seeds):
    _, _, diags = seeds
    seed_files = ("yfbf-2018-161", "yyfbf-2019-22", "dzmf-2019-26", "bishan-2020-shjz", "cjbf-2024-54")
    for code in ("LS301", "LS303", "LS304", "LS305", "LS306", "LS307", "LS318", "LS319", "LS320", "LS331"):
        assert [d for d in diags if d.code == code and any(s in d.span.file for s in seed_files)] == [], code


def test_the_project_lints_clean_against_its_reviewed_baseline(seeds):
    project, _, diags = seeds
    baseline = read_baseline(load_config(project)[0].baseline_path(project))
    new, known, _ = baseline.split(diags, project.root)
    assert new == [], "new lint findings; fix them, or review and run `luoshi lint --write-baseline`:\n" + \
        "\n".join(f"{d.span} {d.code} {d.zh}" for d in new)
    assert known


def test_luoshi_lint_policies_passes_against_the_reviewed_baseline_as_ci_runs_it(monkeypatch):
    """What CI runs: `luoshi lint policies/` exits 0 (even with --strict) while every finding is in the reviewed
    baseline, and the baseline lists nothing that no longer occurs (rerun --write-baseline after a fix)."""
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    assert runner.invoke(app, ["lint", "policies/"]).exit_code == 0
    result = runner.invoke(app, ["lint", "policies/", "--strict", "--format", "json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["errors"] == data["warnings"] == 0
    assert data["baselined"] > 0 and data["stale_baseline_entries"] == 0
    assert runner.invoke(app, ["lint", "policies/", "--no-baseline"]).exit_code == 1  # 大足's LS310 errors


def test_fingerprints_survive_moving_lines(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    project = Project(tmp_path, tmp_path / "policies", tmp_path / "build")
    monkeypatch.chdir(tmp_path)

    def prints():
        comp = compile_paths(None, project)
        found = lint(comp.corpus, comp.sources).diagnostics
        return sorted(fingerprints(found, tmp_path)), sorted((d.span.file, d.span.line) for d in found)

    before, lines_before = prints()
    for name in ("yyfbf-2019-22.policy", "dzmf-2019-26.policy"):
        path = tmp_path / "policies" / name
        path.write_text("# 挪动位置 · moved down\n\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    after, lines_after = prints()
    assert lines_after != lines_before and after == before
