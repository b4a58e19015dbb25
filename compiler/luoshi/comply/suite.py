"""The generated compliance suite: `luoshi build` writes `compliance/` with a pytest module per policy.

    compliance/pytest.ini       isolates the suite from any project's pytest settings
    compliance/conftest.py      --data / --as-of, one evaluation per session (`runtime.py`)
    compliance/checks.json      the compiled plan the tests evaluate
    compliance/test_<id>.py     one parametrized test per check of the policy, the check id as test id
    compliance/test_data.py     fails when rows of the data had to be set aside

Policy text reaches the generated Python only as `repr` literals (the `py` filter), never pasted into code, so a
文号 or metric such as `"]; import os #` stays a string.
"""

from __future__ import annotations

import re

from ..backends.templating import environment
from .plan import Plan

FOLDER = "compliance"


def module_names(plan: Plan) -> dict[str, str]:
    """Policy id → test module file name: test_yyfbf_2019_22.py (ASCII; a clash gets a number)."""
    names: dict[str, str] = {}
    for policy in plan.policies:
        base = "test_" + (re.sub(r"[^0-9A-Za-z]+", "_", policy.id).strip("_").lower() or "policy")
        name, n = base, 1
        while f"{name}.py" in names.values() or name in ("test_data",):
            n += 1
            name = f"{base}_{n}"
        names[policy.id] = f"{name}.py"
    return names


def render(plan: Plan) -> dict[str, bytes]:
    env = environment()
    env.filters["py"] = repr
    files = {
        f"{FOLDER}/checks.json": plan.to_json(),
        f"{FOLDER}/pytest.ini": env.get_template("comply/pytest.ini.j2").render().encode("utf-8"),
        f"{FOLDER}/conftest.py": env.get_template("comply/conftest.py.j2").render(folder=f"build/{FOLDER}", count=len(plan.checks)).encode("utf-8"),
        f"{FOLDER}/test_data.py": env.get_template("comply/test_data.py.j2").render().encode("utf-8"),
    }
    module, names = env.get_template("comply/test_policy.py.j2"), module_names(plan)
    for policy in plan.policies:
        checks = [c for c in plan.checks if c.policy == policy.id]
        if checks:
            files[f"{FOLDER}/{names[policy.id]}"] = module.render(policy=policy, checks=checks).encode("utf-8")
    return files
