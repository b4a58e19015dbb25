"""Working days as the State Council's holiday notices set them, and the calendar periods of recurring duties.

The expected counts below are the published arrangements, not the library's output: 2024 春节 2月10日至17日放假，
2月4日（星期日）、2月18日（星期日）上班; 2024 国庆节 10月1日至7日放假，9月29日（星期日）、10月12日（星期六）上班;
2025 春节 1月28日至2月4日放假，1月26日（星期日）、2月8日（星期六）上班.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import FIXTURES
from luoshi.comply.checks import compile_plan
from luoshi.comply.engine import run
from luoshi.comply.loaders import load_tables
from luoshi.comply.outcome import Status
from luoshi.comply.periods import period_label, periods
from luoshi.comply.workdays import add_working_days, is_workday, working_days_between
from luoshi.diagnostics import Sink
from luoshi.driver.pipeline import compile_paths

D = dt.date


@pytest.mark.parametrize("start, end, days", [
    (D(2024, 2, 8), D(2024, 2, 18), 2),    # 2-09 (除夕 is a working day in 2024) and the make-up Sunday 2-18
    (D(2024, 2, 8), D(2024, 2, 19), 3),
    (D(2024, 2, 8), D(2024, 2, 20), 4),    # over 3 working days
    (D(2024, 2, 2), D(2024, 2, 5), 2),     # the make-up Sunday 2-04 and Monday 2-05
    (D(2024, 9, 27), D(2024, 10, 8), 3),   # 9-29 (make-up Sunday), 9-30, then 10-08 after the holiday
    (D(2024, 9, 30), D(2024, 10, 8), 1),
    (D(2024, 10, 11), D(2024, 10, 14), 2), # the make-up Saturday 10-12 and Monday 10-14
    (D(2024, 10, 1), D(2024, 10, 7), 0),   # the whole National Day holiday
])
def test_working_days_across_holidays_and_make_up_days(start, end, days):
    assert working_days_between(start, end) == days


def test_adding_working_days_skips_the_spring_festival():
    assert is_workday(D(2025, 1, 26)) and is_workday(D(2025, 2, 8))  # make-up Sunday and Saturday
    assert not is_workday(D(2025, 1, 28)) and not is_workday(D(2025, 2, 4))
    assert add_working_days(D(2025, 1, 27), 1) == D(2025, 2, 5)
    assert add_working_days(D(2025, 1, 27), 3) == D(2025, 2, 7)
    assert add_working_days(D(2024, 9, 27), 1) == D(2024, 9, 29)


def test_engine_counts_cases_across_both_holidays():
    """草街 2.7: 从发现、受理到发放临时救助金不得超过3个工作日, evaluated in DuckDB with the calendar table."""
    plan = compile_plan(compile_paths(None).corpus)
    sink = Sink()
    outcome = run(plan, load_tables([FIXTURES / "comply" / "holidays.csv"], sink), D(2024, 12, 31), sink)
    villages = outcome.result("草街办发〔2024〕54号::2.7::各村（社区）::limit[发现、受理→发放临时救助金≤3个工作日]")
    assert villages.status is Status.FAIL and villages.cases_checked == 3
    assert [(c.case, c.used) for c in villages.cases] == [("春节-3", 4)]
    departments = outcome.result("草街办发〔2024〕54号::2.7::街道各部门::limit[发现、受理→发放临时救助金≤3个工作日]")
    assert departments.status is Status.PASS and departments.cases_checked == 3  # 国庆-1: 3 days, not 7 weekdays


def test_recurring_periods_are_calendar_periods():
    assert periods("yearly", D(2019, 2, 28), D(2021, 12, 31)) == [(D(2020, 1, 1), D(2020, 12, 31)), (D(2021, 1, 1), D(2021, 12, 31))]
    assert periods("half_yearly", D(2021, 1, 1), D(2021, 12, 31)) == [(D(2021, 1, 1), D(2021, 6, 30)), (D(2021, 7, 1), D(2021, 12, 31))]
    assert periods("quarterly", D(2021, 2, 1), D(2021, 7, 1))[0] == (D(2021, 4, 1), D(2021, 6, 30))
    assert periods("weekly", D(2024, 10, 2), D(2024, 10, 14)) == [(D(2024, 10, 7), D(2024, 10, 13)), (D(2024, 10, 14), D(2024, 10, 20))]
    assert period_label("half_yearly", D(2021, 7, 1)) == ("2021年下半年", "2021 H2")
    assert period_label("quarterly", D(2021, 10, 1)) == ("2021年第4季度", "2021 Q4")
