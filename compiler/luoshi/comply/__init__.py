"""Compliance checks against task-completion data (`luoshi comply`, `luoshi sample-data`, the generated suite).

- `plan.py`      the compiled checks and the name catalogue data rows are matched against (JSON-serialisable,
                 shipped in the generated suite as checks.json)
- `checks.py`    model → plan: deadlines, recurring obligations, targets per scope, working-day limits per case
- `periods.py`   calendar periods of recurring obligations (每年, 每半年 …)
- `workdays.py`  China's working days from `chinese_calendar` (holidays and make-up days)
- `loaders.py`   CSV (UTF-8, BOM, GB18030), xlsx, Parquet → raw columns with file, row and column
- `engine.py`    DuckDB: raw rows → validated tables → every check evaluated in SQL
- `outcome.py`   the results: per check, the evidence rows, the rows set aside, summaries
- `report.py`    terminal table, Markdown, HTML, 督查 xlsx, JSON
- `sample.py`    realistic completion data with planted violations
- `suite.py`     the generated pytest suite (`build/compliance/`) and `runtime.py`, what it imports
"""
