"""What the generated compliance suite (`build/compliance/`) imports: options, one evaluation per session, and the
verdict of each check as a pytest outcome.

    pytest build/compliance --data completion.xlsx --as-of 2020-12-31 [-k 县民政局] [-x] [--junitxml report.xml]

The suite's checks.json holds the compiled plan, so the tests evaluate exactly what `luoshi build` compiled, in
the same engine as `luoshi comply`: a passing check passes, a failing one (or one without data) fails with the
rows that show it, a check not yet due is skipped, and `test_data.py` fails when rows had to be set aside.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ..diagnostics import Sink
from ..diagnostics.render import render_human
from .engine import run
from .loaders import load_tables, parse_date
from .outcome import Outcome, Status
from .plan import PLAN_FORMAT, Plan


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("luoshi", "落实 luoshi 合规检查 · compliance checks")
    group.addoption("--data", action="append", default=[], metavar="FILE",
                    help="完成情况数据（CSV、xlsx 或 Parquet，可多次给出）· completion data (CSV, xlsx or Parquet; repeatable)")
    group.addoption("--as-of", default=None, metavar="DATE",
                    help="核查日期，如 2020-12-31（默认今天）· the date to check as of, e.g. 2020-12-31 (default today)")


def check_options(config: pytest.Config) -> None:
    """Refuse a run without data or with an unreadable date before any test starts."""
    if config.getoption("--as-of") and parse_date(config.getoption("--as-of")) is None:
        raise pytest.UsageError(f"--as-of：无法识别的日期「{config.getoption('--as-of')}」，请写作 2020-12-31 · "
                                "--as-of: write the date as 2020-12-31")
    if not config.getoption("--data") and not config.getoption("collectonly"):
        raise pytest.UsageError("请用 --data 给出完成情况数据文件 · give the completion data with --data FILE")


def param_id(value: object, argname: str) -> str | None:
    """Test ids are the checks' own ids, unescaped: 云阳府办发〔2019〕22号::2.2.2::县民政局::target[…]."""
    return value if argname == "check_id" and isinstance(value, str) else None


class Compliance:
    """The evaluation of the session's data, made once and shared by every test."""

    def __init__(self, plan_path: Path, data: list[str], as_of: dt.date):
        plan = Plan.from_json(plan_path.read_bytes())
        if plan.format != PLAN_FORMAT:
            raise pytest.UsageError(f"checks.json 的格式 {plan.format} 与本版 luoshi 不符，请重新运行 luoshi build · "
                                    f"checks.json format {plan.format} does not match this luoshi; rerun luoshi build")
        sink = Sink()
        tables = load_tables([Path(d) for d in data], sink, {Path(d): d for d in data})
        self.outcome: Outcome = run(plan, tables, as_of, sink, files=list(data))

    def check(self, check_id: str) -> None:
        result = self.outcome.result(check_id)
        if result is None:
            pytest.fail(f"checks.json 中没有检查 {check_id} · no such check in checks.json", pytrace=False)
        if result.status is Status.PENDING:
            pytest.skip(f"{result.status.zh} {result.status.value}: {result.message()}")
        if result.status.failing:
            lines = [f"{result.status.zh} {result.status.value}: {result.message()}",
                     f"依据 rule: {result.check.written} ({result.check.source})"]
            lines += [f"  {e.where}  {e.zh}" for e in result.evidence[:20]]
            if len(result.cases) > 10:
                lines.append(f"  …… 共 {len(result.cases)} 个超时案件 · {len(result.cases)} cases over the limit")
            pytest.fail("\n".join(lines), pytrace=False)

    def data_clean(self) -> None:
        o = self.outcome
        if o.data_errors:
            text = render_human(o.diagnostics, {}, lang="both")
            more = f"\n另有 {o.problems_not_listed} 处未列出 · {o.problems_not_listed} more not listed" if o.problems_not_listed else ""
            pytest.fail(f"剔除了 {o.rows_set_aside} 行有误的数据 · {o.rows_set_aside} rows set aside\n{text}{more}", pytrace=False)

    def header(self) -> str:
        o = self.outcome
        return (f"luoshi: {len(o.results)} 项检查 checks, 截至 as of {o.as_of}, 数据 data: {', '.join(o.files)} "
                f"({o.rows_read} 行 rows, {o.rows_set_aside} 行剔除 set aside)")


_SESSION = pytest.StashKey["Compliance"]()  # the session's evaluation, kept on its pytest config


def session(config: pytest.Config, plan_path: Path) -> Compliance:
    cached = config.stash.get(_SESSION, None)
    if cached is None:
        text = config.getoption("--as-of")
        as_of = parse_date(text) if text else dt.date.today()
        assert as_of is not None, "check_options refused an unreadable --as-of"
        cached = Compliance(plan_path, config.getoption("--data"), as_of)
        config.stash[_SESSION] = cached
    return cached
