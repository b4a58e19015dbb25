"""Linear office writers: a 5,000-task policy's responsibility table and its unit's checklist as Word documents in
well under 30 s (python-docx's `table.rows[n]` and `row.cells` in the writers' loops made it 316 s, issue 23), and
the documents still hold every row."""

from __future__ import annotations

import io
import time

import docx
import pytest

from conftest import ROOT
from luoshi.backends import checklist_office
from luoshi.backends.checklist import build_checklist
from luoshi.backends.table import build_table, render_table
from luoshi.semantics.graph import build_graph
from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import Project

TASKS = 5000


def big_policy(tasks: int) -> str:
    lines = ["政策 big-2019-1 {", '  文号 "云阳府办发〔2019〕99号"', '  标题 "关于印发大表的通知"', "  发文机关 县政府办公室",
             "  成文日期 2019年2月28日", "  辖区 云阳县", "  层级 县级"]
    for s in range(tasks // 50):
        lines.append(f'  部分 {s + 1} "第{s + 1}部分" {{')
        for t in range(50):
            lines.append(f'    任务 {s + 1}.{t + 1} "任务{s}-{t}" {{ 原文 """第{s}部分第{t}项工作。\n要求落实。""" '
                         f"牵头 县民政局 配合 县财政局、县教委 时限 2019年3月底前 }}")
        lines.append("  }")
    return "\n".join([*lines, "}", ""])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("big")
    (root / "policies" / "units").mkdir(parents=True)
    for units in (ROOT / "policies" / "units").glob("*.units"):
        (root / "policies" / "units" / units.name).write_bytes(units.read_bytes())
    (root / "policies" / "big.policy").write_text(big_policy(TASKS), encoding="utf-8")
    comp = compile_paths(None, Project(root, root / "policies", root / "build"))
    assert not [d for d in comp.sink if d.severity.value == "error"]
    return comp.corpus


def test_a_5000_task_table_as_docx_in_under_30_seconds(corpus):
    table = build_table(corpus, "big-2019-1")
    started = time.process_time()
    data = render_table(table, "docx")
    elapsed = time.process_time() - started
    assert elapsed < 30, f"{elapsed:.1f} s"
    grid = docx.Document(io.BytesIO(data)).tables[0]
    assert len(grid._tbl.tr_lst) == 1 + len(table.rows) == 1 + TASKS + TASKS // 50  # a heading row per 部分
    last = grid._tbl.tr_lst[-1]
    assert "县民政局" in "".join(last.itertext()) and "任务99-49" in "".join(last.itertext())


def test_a_5000_item_checklist_as_docx_in_under_30_seconds(corpus):
    checklist = build_checklist(build_graph(corpus), "云阳县/县民政局", policy="big-2019-1")
    assert len(checklist.items) == TASKS
    started = time.process_time()
    data = checklist_office.to_docx(checklist, corpus)
    elapsed = time.process_time() - started
    assert elapsed < 30, f"{elapsed:.1f} s"
    rows = docx.Document(io.BytesIO(data)).tables[0]._tbl.tr_lst
    assert len(rows) == 1 + TASKS
    assert "第99部分第49项工作" in "".join(rows[-1].itertext()) or "第99部分第49项工作" in "".join(rows[-2].itertext())
