"""Case rules (规则): planted households found exactly, per rule, through `luoshi cases`; the exceptions of the text;
`luoshi check` on rule mistakes; ID numbers masked outside the report the user asked for."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from luoshi.cases import engine, expr
from luoshi.cases.data import mask, read_table
from luoshi.cases.sample import write
from luoshi.cli import app
from luoshi.diagnostics import Sink
from luoshi.syntax.source import Span

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2024-12-31"
FULL_ID = re.compile(r"\b\d{17}[\dX]\b")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    d = tmp_path_factory.mktemp("cases")
    write(d, 600, dt.date.fromisoformat(AS_OF), seed=3)
    return d


def _run(*args, cwd=ROOT):
    import os

    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(app, list(args))
    finally:
        os.chdir(old)


def _data(d: Path) -> list[str]:
    return [str(d / f"{n}.csv") for n in ("名册", "社保", "车辆", "房产", "工商")]


def test_planted_households_found_exactly_per_rule(sample, tmp_path):
    out = tmp_path / "r.json"
    res = _run("cases", *_data(sample), "--params", str(sample / "参数.csv"), "--as-of", AS_OF, "-o", str(out))
    assert res.exit_code == 0, res.output
    manifest = json.loads((sample / "planted.json").read_text("utf-8"))
    got: dict[str, set[str]] = {}
    for f in json.loads(out.read_text("utf-8"))["findings"]:
        for r in f["rules"]:
            got.setdefault(r["rule"], set()).add(f["household"])
    assert set(got) == {k for k, v in manifest["planted"].items() if v}
    for rule, households in manifest["planted"].items():
        assert households, rule
        assert got[rule] == set(households), rule


def test_exceptions_of_the_text(sample, tmp_path):
    """征地拆迁 purchases, a single rural house and a purchase older than three years fire nothing; 农村有房+城里买房
    counts as two houses; a 注销 vehicle asks for evidence rather than a cancellation."""
    out = tmp_path / "r.json"
    _run("cases", *_data(sample), "--params", str(sample / "参数.csv"), "--as-of", AS_OF, "-o", str(out))
    manifest = json.loads((sample / "planted.json").read_text("utf-8"))
    fired = {f["household"]: {r["rule"] for r in f["rules"]} for f in json.loads(out.read_text("utf-8"))["findings"]}
    for kind in ("征地拆迁", "农村一套", "购房超过三年"):
        assert manifest["decoys"][kind], kind
        for hh in manifest["decoys"][kind]:
            assert hh not in fired, (kind, fired.get(hh))
    for hh in manifest["planted"]["cjbf-2024-54:2.10.3/两套住房"]:
        assert fired[hh] == {"cjbf-2024-54:2.10.3/两套住房"}
    for hh in manifest["planted"]["cjbf-2024-54:2.10.2/车辆已注销"]:
        assert fired[hh] == {"cjbf-2024-54:2.10.2/车辆已注销"}


def test_taper_band_uses_the_dated_parameter(tmp_path):
    roster = tmp_path / "名册.csv"
    ids = ["500117198001011234", "500117198001021234", "500117198001031234"]
    roster.write_text("户编号,身份证号,辖区,镇街,家庭月人均收入\n"
                      f"A,{ids[0]},合川区,草街街道,760\nB,{ids[1]},合川区,草街街道,1100\nC,{ids[2]},合川区,草街街道,690\n"
                      f"D,500117198001041234,璧山区,璧城街道,760\n", "utf-8")
    params = tmp_path / "p.csv"
    params.write_text("参数,辖区,起始,终止,值,依据\n低保标准,合川区,2023-01-01,2023-12-31,650,甲文件\n"
                      "低保标准,合川区,2024-01-01,,700,乙文件\n", "utf-8")
    sink = Sink()
    rules = [r for r in engine.corpus_rules(_corpus()) if r.key == "cjbf-2024-54:2.5/收入渐退"]
    tables = [read_table(roster, sink)]
    r24 = engine.evaluate(tables, rules, engine.read_parameters(params, sink), dt.date(2024, 6, 1), sink)
    assert [f.household for f in r24.findings] == ["A"]  # 700 < 760 < 1050; 1100 is above the band
    r23 = engine.evaluate(tables, rules, engine.read_parameters(params, sink), dt.date(2023, 6, 1), sink)
    assert [f.household for f in r23.findings] == ["A", "C"]  # 650 < 690, 760 < 975
    none = Sink()
    engine.evaluate(tables, rules, engine.read_parameters(params, none), dt.date(2022, 6, 1), none)
    assert [d.code for d in none] == ["LS550", "LS550"]  # neither 合川区 nor 璧山区 has a value in 2022
    # a rule of 草街街道 applies only to its households (D lives in 璧山区), a rule of 璧山区 only to D
    bishan = [r for r in engine.corpus_rules(_corpus()) if r.key == "bishan-2020-shjz:3/收入渐退"]
    p = tmp_path / "p2.csv"
    p.write_text("参数,辖区,起始,终止,值,依据\n低保标准,合川区,2024-01-01,,700,甲\n低保标准,璧山区,2024-01-01,,700,乙\n", "utf-8")
    both = engine.evaluate(tables, rules + bishan, engine.read_parameters(p, Sink()), dt.date(2024, 6, 1), Sink())
    assert [(f.household, f.rule.key) for f in both.findings] == [
        ("A", "cjbf-2024-54:2.5/收入渐退"), ("D", "bishan-2020-shjz:3/收入渐退")]


def _corpus():
    from luoshi.commands._corpus import load_corpus
    import os

    old = os.getcwd()
    os.chdir(ROOT)
    try:
        return load_corpus()
    finally:
        os.chdir(old)


@pytest.mark.parametrize("condition, code", [
    ("家庭月收入 > 低保标准", "LS241"),
    ("有 汽车(状态 = \"注销\")", "LS241"),
    ("家庭月人均收入 > 上年度人均可支配收入", "LS242"),
    ("家庭月人均收入 > > 1", "LS243"),
    ("家庭月人均收入 × 1.5", "LS243"),
])
def test_check_locates_rule_mistakes(condition, code):
    sink = Sink()
    span = Span(file="x.policy", line=3, column=7, end_line=3, end_column=40)
    assert not expr.check_condition(condition, span, sink)
    (d,) = list(sink)
    assert d.code == code and d.span == span


def test_luoshi_check_reports_a_bad_rule(tmp_path):
    import shutil

    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    for name in ("luoshi.toml",):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, tmp_path / name)
    p = tmp_path / "policies" / "cjbf-2024-54.policy"
    p.write_text(p.read_text("utf-8").replace("家庭月人均收入 > 低保标准 且", "家庭月人均收入 > 上年度人均可支配收入 且"), "utf-8")
    res = _run("check", cwd=tmp_path)
    assert res.exit_code != 0
    assert "LS242" in res.output and "cjbf-2024-54.policy" in res.output


def test_id_numbers_masked_outside_the_report(sample, tmp_path):
    bad = tmp_path / "车辆.csv"
    bad.write_text("身份证号,号牌,状态\n50011719800101123,渝D1,正常\n", "utf-8")
    res = _run("cases", *_data(sample), str(bad), "--params", str(sample / "参数.csv"), "--as-of", AS_OF)
    assert res.exit_code == 0
    assert "LS551" in res.output and "5001*********1123" in res.output and "50011719800101123" not in res.output
    assert not FULL_ID.search(res.output)
    hh = json.loads((sample / "planted.json").read_text("utf-8"))["planted"]["cjbf-2024-54:2.10.2/车辆未注销"][0]
    ex = _run("cases", *_data(sample), "--params", str(sample / "参数.csv"), "--as-of", AS_OF, "--explain", hh)
    assert "车辆未注销" in ex.output and "其余情况原则上取消其低保" in ex.output and "车辆.csv:" in ex.output
    assert not FULL_ID.search(ex.output)
    assert mask("500117198001011234") == "5001**********1234"


def test_xlsx_report_is_deterministic(sample, tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for out in (a, b):
        assert _run("cases", *_data(sample), "--params", str(sample / "参数.csv"), "--as-of", AS_OF, "-o", str(out)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


def test_generated_suite_finds_exactly_the_planted(sample, tmp_path):
    import os
    import subprocess
    import sys

    suite = tmp_path / "suite"
    assert _run("cases-suite", "-o", str(suite)).exit_code == 0
    data = [a for p in _data(sample) for a in ("--data", p)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "compiler")}
    base = [sys.executable, "-m", "pytest", str(suite), "-q", *data, "--params", str(sample / "参数.csv"), "--as-of", AS_OF]
    ok = subprocess.run([*base, "--planted", str(sample / "planted.json")], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout[-2000:]
    assert "16 passed" in ok.stdout
    # without the manifest every rule that fires fails its test: the 13 rules with planted households in the sample
    manifest = json.loads((sample / "planted.json").read_text("utf-8"))
    bad = subprocess.run(base, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert f"{sum(1 for v in manifest['planted'].values() if v)} failed" in bad.stdout
    assert not FULL_ID.search(bad.stdout)


def test_gbk_csv_and_xlsx_with_text_ids(tmp_path):
    from openpyxl import Workbook

    gbk = tmp_path / "名册.csv"
    gbk.write_bytes("户编号,公民身份号码,辖区,街道,月人均收入\nA,50011719800101123X,合川区,草街街道,760\n"
                    "B,5.00117E+17,合川区,草街街道,100\n".encode("gbk"))
    sink = Sink()
    roster = read_table(gbk, sink)
    assert roster.kind == "名册" and roster.data["身份证号"] == ["50011719800101123X"]
    assert roster.data["家庭月人均收入"] == [760.0] and roster.data["镇街"] == ["草街街道"]
    (bad,) = list(sink)  # the ID a spreadsheet turned into a float is reported at its cell, never guessed back
    assert bad.code == "LS551" and (bad.span.line, bad.span.column) == (3, 2)
    wb = Workbook()
    wb.active.append(["身份证号", "号牌号码", "车辆状态"])
    wb.active.append(["50011719800101123X", "渝D12345", "注销"])
    path = tmp_path / "车辆.xlsx"
    wb.save(path)
    cars = read_table(path, Sink())
    assert cars.kind == "车辆" and cars.data["状态"] == ["注销"] and cars.rows == [2]


def test_xlsx_cells_are_never_formulas(tmp_path):
    from openpyxl import load_workbook

    roster = tmp_path / "名册.csv"
    roster.write_text('户编号,身份证号,辖区,镇街,家庭月人均收入\n"=HYPERLINK(""http://x"",""y"")",500117198001011234,合川区,草街街道,100\n', "utf-8")
    cars = tmp_path / "车辆.csv"
    cars.write_text("身份证号,号牌,状态\n500117198001011234,=1+1,正常\n", "utf-8")
    out = tmp_path / "r.xlsx"
    res = _run("cases", str(roster), str(cars), "--as-of", AS_OF, "-o", str(out))
    assert res.exit_code == 0, res.output
    ws = load_workbook(out)["比对结果"]
    cell = ws.cell(row=2, column=1)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
    assert ws.cell(row=2, column=2).value == "建议取消"
