"""The generated compliance suite: one pytest test per check, run against data from the command line, with the
usual pytest options; and no policy text can turn into code."""

from __future__ import annotations

import ast
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import compile_texts
from luoshi.artifacts import comply_suite
from luoshi.comply import sample, suite
from luoshi.comply.checks import compile_plan
from luoshi.comply.engine import run
from luoshi.comply.loaders import load_tables
from luoshi.comply.outcome import Status
from luoshi.diagnostics import Sink
from luoshi.driver.output import write_outputs
from luoshi.driver.pipeline import compile_paths


@pytest.fixture(scope="module")
def corpus():
    return compile_paths(None).corpus


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory) -> dict:
    """The suite as `luoshi build` writes it, and sample data with violations beside it."""
    root = tmp_path_factory.mktemp("build")
    plan = compile_plan(corpus)
    write_outputs(root, comply_suite(corpus))
    options = sample.SampleOptions(violations=0.3, seed=3)
    data = sample.generate(corpus, plan, options)
    path = root / "completion.xlsx"
    path.write_bytes(sample.to_xlsx(data))
    sink = Sink()
    outcome = run(plan, load_tables([path], sink), options.as_of, sink)
    return {"root": root, "suite": root / "compliance", "data": path, "sample": data, "as_of": options.as_of, "outcome": outcome}


def pytest_run(suite_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", str(suite_dir), *args], cwd=cwd, capture_output=True, text=True)


def junit(path: Path) -> dict[str, set[str]]:
    """test name → outcome, from a --junitxml report."""
    found: dict[str, set[str]] = {"passed": set(), "failed": set(), "skipped": set()}
    for case in ET.parse(path).getroot().iter("testcase"):
        name = case.get("name")
        state = "failed" if case.find("failure") is not None else "skipped" if case.find("skipped") is not None else "passed"
        found[state].add(name[len("test_check["):-1] if name.startswith("test_check[") else name)
    return found


def test_the_suite_has_a_module_per_policy_and_a_test_per_check(built, corpus):
    files = sorted(p.name for p in built["suite"].iterdir())
    assert {"conftest.py", "pytest.ini", "checks.json", "test_data.py", "test_yyfbf_2019_22.py", "test_cjbf_2024_54.py"} <= set(files)
    again = comply_suite(corpus)  # reproducible: rendered again, equal to what the fixture's render wrote
    assert again == {name: (built["root"] / name).read_bytes() for name in again}
    module = (built["suite"] / "test_yyfbf_2019_22.py").read_text(encoding="utf-8")
    assert "'云阳府办发〔2019〕22号::2.2.2::县民政局::target[失能特困人员集中供养率≥40% 截至2019-12-31 青龙街道]'," in module


def test_suite_finds_exactly_the_planted_violations(built, tmp_path):
    report = tmp_path / "report.xml"
    result = pytest_run(built["suite"], "--data", str(built["data"]), "--as-of", built["as_of"].isoformat(),
                        f"--junitxml={report}", "-q", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    found = junit(report)
    assert found["failed"] == built["sample"].failing
    pending = {r.id for r in built["outcome"].results if r.status is Status.PENDING}
    assert found["skipped"] == pending
    assert "test_no_rows_set_aside" in found["passed"]
    assert len(found["passed"]) + len(found["failed"]) + len(found["skipped"]) == len(built["outcome"].results) + 1
    # a slow case's id is in the failure message (the message shows the first ten of a check's slow cases, so not
    # any one of them: picking one from the set made this test fail now and then, by hash order)
    assert any(case in result.stdout for _, case in built["sample"].slow_cases)


def test_suite_works_with_k_and_x(built, tmp_path):
    report = tmp_path / "k.xml"
    args = ("--data", str(built["data"]), "--as-of", built["as_of"].isoformat())
    result = pytest_run(built["suite"], *args, "-k", "县民政局", f"--junitxml={report}", cwd=tmp_path)
    ran = set().union(*junit(report).values())
    assert ran and all("县民政局" in name for name in ran), result.stdout
    assert ran == {r.id for r in built["outcome"].results if "县民政局" in r.id}
    stopped = pytest_run(built["suite"], *args, "-x", "-q", cwd=tmp_path)
    assert stopped.returncode == 1 and "1 failed" in stopped.stdout


def test_suite_without_data_is_a_usage_error(built, tmp_path):
    result = pytest_run(built["suite"], cwd=tmp_path)
    assert result.returncode == 4
    assert "--data" in result.stderr and "请用 --data" in result.stderr


def test_suite_reports_bad_rows_as_a_failing_test(built, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("政策,任务,单位,状态,日期\n云阳府办发〔2019〕22号,4.1,县民证局,已完成,2019-03-20\n", encoding="utf-8")
    result = pytest_run(built["suite"], "--data", str(bad), "--as-of", "2019-12-31", "-q", "-k", "data", cwd=tmp_path)
    assert result.returncode == 1 and "LS513" in result.stdout and "bad.csv:2:3" in result.stdout


EVIL = '''政策 evil-1 {
  文号 "云阳府办发〔2019〕9号']; import os; os.system('touch PWNED') #"
  标题 """第一行
\'\'\'); __import__("os").system("touch PWNED2") #"""
  辖区 云阳县
  任务 1 "甲" {
    牵头 县民政局
    时限 2019年3月底前
    目标 "率']+__import__('os').getcwd()+['" 达到 40%
  }
}
'''


def test_policy_text_cannot_inject_code(tmp_path):
    comp = compile_texts(tmp_path, {"evil.policy": EVIL})
    assert not comp.sink.has_errors(), [d.en for d in comp.sink]
    plan = compile_plan(comp.corpus)
    files = suite.render(plan)
    module = files["compliance/test_evil_1.py"].decode("utf-8")
    tree = ast.parse(module)
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert [a.name for n in imports for a in n.names] == ["pytest"]
    calls = {n.func.attr if isinstance(n.func, ast.Attribute) else n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert calls == {"parametrize", "check"}
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert any("os.system('touch PWNED')" in s for s in strings)
    assert comp.corpus.policy("evil-1").title in strings
    out = tmp_path / "out"
    write_outputs(out, files)
    result = pytest_run(out / "compliance", "--collect-only", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list(tmp_path.rglob("PWNED*"))
    assert "os.system('touch PWNED')" in result.stdout
