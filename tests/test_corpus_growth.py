"""Adding a policy to policies/ breaks no test (issue 24, item 4): the checks that used to count the live corpus
run here on a copy of policies/ with one more, synthetic, policy (tests/fixtures/corpus/synthetic-2026-1.policy)."""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from luoshi.syntax import astcache as cache
from luoshi.driver import pipeline
from luoshi.comply import sample
from luoshi.comply.checks import compile_plan
from luoshi.comply.engine import run
from luoshi.comply.loaders import load_tables
from luoshi.comply.outcome import Status
from luoshi.diagnostics import Sink
from luoshi.driver.project import Project

ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC = ROOT / "tests" / "fixtures" / "corpus" / "synthetic-2026-1.policy"


def _grown(tmp_path: Path, monkeypatch) -> Project:
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    shutil.copy(SYNTHETIC, tmp_path / "policies" / SYNTHETIC.name)
    (tmp_path / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "policies"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LUOSHI_NO_CACHE", raising=False)
    return Project(tmp_path, tmp_path / "policies", tmp_path / "build")


def test_one_more_policy_compiles_caches_and_complies(tmp_path, monkeypatch):
    project = _grown(tmp_path, monkeypatch)
    pipeline._PARSED.clear()
    comp = pipeline.compile_paths(None, project)
    assert not comp.sink.has_errors()
    declared = sum(len(re.findall(r"^政策 ", f.read_text(encoding="utf-8"), re.M)) for f in project.policies.glob("*.policy"))
    assert len([p for p in comp.corpus.policies if p.kind.value == "policy"]) == declared
    synthetic = comp.corpus.policy("synthetic-2026-1")
    assert [a.role.value for a in synthetic.task("1").assignments] == ["lead", "cooperate"]  # 牵头规则 首位
    # the cache: one entry per source, a warm run parses nothing
    (pack,) = (project.root / cache.CACHE_DIR / "ast").rglob(cache.PACK)
    with closing(sqlite3.connect(pack)) as db:
        (entries,) = db.execute("SELECT count(*) FROM entries").fetchone()
    assert entries == len(pipeline.source_files(project.policies))
    pipeline._PARSED.clear()
    parsed: list[str] = []
    real = pipeline.parse_ast
    monkeypatch.setattr(pipeline, "parse_ast", lambda s, k: parsed.append(s.path) or real(s, k))
    assert pipeline.compile_paths(None, project).corpus == comp.corpus and parsed == []
    # a clean sample passes every check that is due
    plan = compile_plan(comp.corpus)
    options = sample.SampleOptions(violations=0.0, seed=2)
    path = tmp_path / "clean.parquet"
    path.write_bytes(sample.to_parquet(sample.generate(comp.corpus, plan, options)))
    outcome = run(plan, load_tables([path], Sink()), options.as_of, Sink())
    assert outcome.exit_code == 0
    odd = [(r.id, r.status, r.reason) for r in outcome.results if not (r.status is Status.PASS or (r.status is Status.PENDING and r.reason == "not_due"))]
    assert not odd, odd
    assert any(r.id.startswith("云阳府办发〔2026〕1号::1::") for r in outcome.results)
