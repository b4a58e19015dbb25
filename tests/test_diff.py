"""`luoshi diff`: what a local policy changed from its parent, measure by measure, on the real seeds — 云阳府办发
〔2019〕22号 against 渝府办发〔2018〕161号, and a 云阳县 draft against the real 云阳 encoding (the golden)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.policydiff.compare import Unrelated, compare, implementation_pairs, text_diff
from luoshi.policydiff.render import render_html, render_markdown, render_terminal

from conftest import ROOT, check_golden
from draftkit import at_root, make_draft, scratch_corpus, seed_compilation

runner = CliRunner()


@pytest.fixture(scope="module")
def seed():
    return seed_compilation().corpus


@pytest.fixture(scope="module")
def yunyang(seed):
    return compare(seed, "yyfbf-2019-22", "yfbf-2018-161")


def measure(diff, child_task, parent_task=None):
    return next(m for m in diff.measures if m.child.task == child_task and (parent_task is None or m.parent.task == parent_task))


def lines(m, status):
    return [(u.counterpart_role, u.parent_unit, u.child_unit) for u in m.units if u.status == status]


def test_units_are_compared_by_counterpart_role(yunyang):
    m = measure(yunyang, "2.1")
    assert lines(m, "same")[0] == ("民政", "市民政局", "县民政局") and m.count("removed") == m.count("added") == 0
    assert lines(measure(yunyang, "2.3"), "removed") == [("规划自然资源", "市规划自然资源局", None)]
    # 督促检查: 云阳 gave the county government office what 161号 gave the 区县 governments
    m = measure(yunyang, "5.4")
    assert lines(m, "removed") == [("下级政府", "各区县政府", None)] and lines(m, "added") == [("政府办公室", None, "县政府办")]
    # 5.1 names eleven departments where 161号 names four
    assert len(lines(measure(yunyang, "5.1"), "added")) == 7


def test_sub_tasks_belong_to_their_measure(yunyang):
    m = measure(yunyang, "2.2")
    added = [(v.kind, v.child, v.where) for v in m.values if v.status == "added"]
    assert ("目标", "失能特困人员集中供养率 达到 40% 截至 2019年底 范围 各乡镇（街道）", "2.2.2") in added
    assert {u.where for u in m.units if u.status == "added"} == {"2.2.2"}


def test_dates_and_text(yunyang):
    m = measure(yunyang, "2.5")
    assert [(v.status, v.parent, v.child) for v in m.values] == [("changed", "2018—2020年", "2019年至2020年")]
    # 5.3 is word for word 161号's 4.3 once 全市 reads 全县; as printed, it is not
    assert measure(yunyang, "5.3").text.similarity == 1.0
    raw = compare(seed_compilation().corpus, "yyfbf-2019-22", "yfbf-2018-161", raw=True)
    assert measure(raw, "5.3").text.similarity < 1.0
    edits = [seg for seg in measure(yunyang, "2.4").text.segments if seg[0] != "equal"]
    assert ("delete", "县域内", "") in edits


def test_parent_coverage(yunyang):
    assert yunyang.unimplemented == ()
    assert [task for task, _ in yunyang.added] == ["4.1", "4.2", "4.3", "4.4"]  # 实施步骤, new in 云阳


def test_text_diff_ignores_punctuation_width():
    d = text_diff("市、区县财政要将资金纳入本级预算,随着财力增长逐步加大资金投入。", "市、区县财政要将资金纳入本级预算，随着财力增长加大投入。")
    assert [s for s in d.segments if s[0] != "equal"] == [("replace", "逐步加大资金", "加大")]


def test_unrelated_policies(seed):
    with pytest.raises(Unrelated):
        compare(seed, "bishan-2020-shjz", "yfbf-2018-161")
    assert ("yyfbf-2019-22", "yfbf-2018-161") in implementation_pairs(seed)


# ───────────── renderers ─────────────

def test_terminal_has_colour_only_on_a_terminal(yunyang):
    plain, coloured = io.StringIO(), io.StringIO()
    render_terminal(yunyang, Console(file=plain, color_system=None, soft_wrap=True))
    render_terminal(yunyang, Console(file=coloured, force_terminal=True, color_system="standard", soft_wrap=True))
    assert "\x1b[" not in plain.getvalue() and "\x1b[" in coloured.getvalue()
    assert "[-县域内-]" in plain.getvalue() and "- 单位（规划自然资源） 配合 市规划自然资源局" in plain.getvalue()


HOSTILE_PARENT = '''政策 hp {
  辖区 重庆市
  任务 1 "<script>alert(1)</script>" { 原文 """甲 | 乙 **丙** <b>丁</b>。""" 牵头 市民政局 }
}
'''
HOSTILE_CHILD = '''政策 hc {
  辖区 云阳县
  落实 hp
  任务 1 "<img src=x>" { 原文 """甲 | 乙 <i>戊</i>。""" 牵头 县民政局 落实 hp:1 }
}
'''


def test_markdown_and_html_escape_policy_text(tmp_path):
    comp = scratch_corpus(tmp_path, {"hp.policy": HOSTILE_PARENT, "hc.policy": HOSTILE_CHILD})
    assert not comp.sink.has_errors()
    diff = compare(comp.corpus, "hc", "hp")
    html = render_html(diff)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html and "<del>" in html and "<ins>" in html
    md = render_markdown(diff)
    assert "<script>" not in md and "<b>" not in md and "&lt;i&gt;" in md and r"\*\*丙\*\*" in md and r"\|" in md


def test_markdown_lists_unchanged_measures_when_only_changes_are_shown(yunyang):
    text = render_markdown(yunyang, changes_only=True)
    assert "## 无改动\n\n- 2.6 改善基本居住条件" in text and "## 2.6 " not in text


# ───────────── the draft against the real 云阳 encoding ─────────────

def test_draft_against_the_real_county_measures(tmp_path, update_golden):
    """The comparison the report discusses: what the real 云阳 text changed from luoshi's draft (child: the
    real encoding; parent: the draft; both 落实 161号, so measures pair through its tasks)."""
    draft = make_draft("yfbf-2018-161", "云阳县", date=__import__("datetime").date(2019, 2, 28))
    path = tmp_path / "yfbf-2018-161-云阳县.policy"
    path.write_text(draft.text, encoding="utf-8")
    with at_root():
        result = runner.invoke(app, ["diff", "yyfbf-2019-22", str(path), "-f", "md", "--changes-only"])
    assert result.exit_code == 0, result.output
    assert "两者都落实 yfbf-2018-161" in result.stdout
    check_golden(ROOT / "tests" / "golden" / "draft" / "yyfbf-2019-22-vs-draft.md", result.stdout, update_golden)


def test_cli_errors_and_outputs(in_root, tmp_path):
    result = runner.invoke(app, ["diff", "bishan-2020-shjz", "yfbf-2018-161"])
    assert result.exit_code == 1 and "不落实" in result.stderr and "Traceback" not in result.output
    target = tmp_path / "d.html"
    result = runner.invoke(app, ["diff", "yyfbf-2019-22", "yfbf-2018-161", "-f", "html", "-o", str(target)])
    assert result.exit_code == 0 and target.read_text(encoding="utf-8").startswith("<article")
    result = runner.invoke(app, ["diff", "yyfbf-2019-22", "yfbf-2018-161", "-f", "html", "-o", str(target)])
    assert result.exit_code == 1 and "--force" in result.stderr
    result = runner.invoke(app, ["diff", "云阳府办发〔2019〕22号", "渝府办发〔2018〕161号"])
    assert result.exit_code == 0 and "\x1b[" not in result.stdout and "逐项对照 20 项措施" in result.stdout


def test_localization_is_its_own_step_and_the_parent_is_shown_as_written(yunyang):
    """161号 4.4 says 各区县政府; the localized parent says 各乡镇（街道）. The 换算 step deletes the parent's own words
    (各区县政府 is shown as written), and the 原文 step starts from the localized text."""
    m = next(m for m in yunyang.measures if m.parent.task == "4.4")
    deleted = "".join(before for op, before, _ in m.localization.segments if op in ("replace", "delete"))
    inserted = "".join(after for op, _, after in m.localization.segments if op in ("replace", "insert"))
    assert "区县政府" in deleted and "乡镇（街道）" in inserted
    assert not any("区县政府" in before for op, before, _ in m.text.segments)  # the 原文 step no longer sees it
    md = render_markdown(yunyang)
    assert "换算（上级原文 → 本级表述）：加强督促检查。各<del>区县政府" in md
    raw = compare(seed_compilation().corpus, "yyfbf-2019-22", "yfbf-2018-161", raw=True)
    assert all(x.localization is None for x in raw.measures)  # --raw-text: one step, the texts as printed


def test_targets_are_worded_by_the_function_given(seed, yunyang):
    """compare() words targets with `target_text` by default; the site passes the checklist's wording instead."""
    from luoshi.backends.wording import target_zh
    from luoshi.policydiff.compare import target_text

    worded = compare(seed, "yyfbf-2019-22", "yfbf-2018-161", word_target=target_zh)
    targets = {p.id: p for p in seed.policies}
    default = [v for m in yunyang.measures for v in m.values if v.kind == "目标"]
    checklist = [v for m in worded.measures for v in m.values if v.kind == "目标"]
    assert default and len(default) == len(checklist)
    every = {g for p in targets.values() for t in p.tasks for g in t.targets}
    by_default: dict[str, set[str]] = {}  # two targets may share the DSL words and differ in 适用 (the site's map keeps one)
    for g in every:
        by_default.setdefault(target_text(g), set()).add(target_zh(g))
    for d, c in zip(default, checklist):
        assert (d.status, d.where) == (c.status, c.where)
        for before, after in ((d.parent, c.parent), (d.child, c.child)):
            assert (before is None) == (after is None)
            if before is not None:
                assert after in by_default[before] and after != before
