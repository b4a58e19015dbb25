"""The parse cache (.luoshi-cache/, keyed by content hash) never changes what a compile finds: a warm run parses
nothing and gives the same model and diagnostics; an edit, rename or deletion re-parses just that file; an edit to a
parent policy or to the unit registry reaches the children and the policies that use it; a new grammar or
version starts over; a damaged entry is a miss, never a crash. All on a copy of the seed corpus in a temp folder."""

from __future__ import annotations

import gc
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from luoshi.syntax import astcache as cache
from luoshi.driver import cachestore, perf, pipeline
from luoshi import model
from luoshi.lint import index
from luoshi.lint.engine import lint_corpus
from luoshi.driver.project import Project

PARENT_TASK = '      备注 "「逐步提升失能特困人员集中供养比例」未给数值，不编码为目标"'
PARENT_TARGET = "      目标 城市特困人员救助供养标准覆盖率 达到 100% 截至 2020年底"
HEAD, BAD = "政策 cjbf-2024-54 {", "\n  责任单位 草街街道办事处"  # 责任单位 is no keyword: LS104


@pytest.fixture
def project(scratch_project) -> Project:
    return scratch_project


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The files actually parsed by each compile (the in-process memo is emptied, so only the disk cache counts)."""
    calls: list[str] = []
    real = pipeline.parse_ast

    def counting(source, sink):
        calls.append(Path(source.path).name)
        return real(source, sink)

    monkeypatch.setattr(pipeline, "parse_ast", counting)
    return calls


def compile_fresh(project: Project, parsed: list[str]):
    pipeline._PARSED.clear()
    parsed.clear()
    return pipeline.compile_paths(None, project)


def entries(project: Project) -> list[tuple[Path, str]]:
    """(pack, name) of each AST cache entry: rows of the pack in the salt's folder (astcache.PACK)."""
    found = []
    for pack in (project.root / cache.CACHE_DIR / "ast").rglob(cache.PACK):
        with closing(sqlite3.connect(pack)) as db:
            found += [(pack, name) for (name,) in db.execute("SELECT name FROM entries ORDER BY name")]
    return found


def damage(pack: Path, name: str, data: bytes) -> None:
    """Replace the bytes of entry `name`, its seal kept (the seal then no longer verifies)."""
    with closing(sqlite3.connect(pack)) as db, db:
        db.execute("UPDATE entries SET data = ? WHERE name = ?", (data, name))


def row(pack: Path, name: str) -> bytes:
    with closing(sqlite3.connect(pack)) as db:
        (data,) = db.execute("SELECT data FROM entries WHERE name = ?", (name,)).fetchone()
    return bytes(data)


def findings(comp, file_name: str) -> list[tuple[str, str]]:
    found = [*comp.diagnostics(), *lint_corpus(comp.corpus, comp.sources)]
    return sorted((d.code, d.en) for d in found if d.span and Path(d.span.file).name == file_name)


def source_count(project: Project) -> int:
    return len(pipeline.source_files(project.policies))


def test_warm_run_parses_nothing_and_finds_the_same(project, parsed):
    cold = compile_fresh(project, parsed)
    assert len(parsed) == source_count(project) == len(entries(project))
    assert (project.root / cache.CACHE_DIR / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    warm = compile_fresh(project, parsed)
    assert parsed == []
    assert warm.corpus == cold.corpus
    assert warm.corpus.model_dump_json() == cold.corpus.model_dump_json()
    assert [d.to_json() for d in warm.diagnostics()] == [d.to_json() for d in cold.diagnostics()]


def test_editing_a_parent_relints_its_children(project, parsed):
    compile_fresh(project, parsed)
    before = compile_fresh(project, parsed)
    assert not [f for f in findings(before, "yyfbf-2019-22.policy") if f[0] == "LS315"]
    parent = project.policies / "yfbf-2018-161.policy"
    original = parent.read_text(encoding="utf-8")
    parent.write_text(original.replace(PARENT_TASK, PARENT_TARGET), encoding="utf-8")
    after = compile_fresh(project, parsed)
    assert parsed == ["yfbf-2018-161.policy"]  # the children come from the cache …
    for child in ("yyfbf-2019-22.policy", "dzmf-2019-26.policy"):  # … and are linted against the new parent
        new = set(findings(after, child)) - set(findings(before, child))
        assert [code for code, _ in new] == ["LS315"] and "城市特困人员救助供养标准覆盖率" in new.pop()[1]
    parent.write_text(original, encoding="utf-8")
    reverted = compile_fresh(project, parsed)
    assert parsed == []  # the original text is still cached
    assert findings(reverted, "yyfbf-2019-22.policy") == findings(before, "yyfbf-2019-22.policy")


def test_lint_lookups_are_shared_per_corpus_and_dropped_with_it(project, parsed):
    """The rules share one Index and one set of implementation links per corpus (lint/index.py `shared`): a new
    corpus gets its own, linted against the edited parent, and a dropped corpus takes its shared values with it."""
    before = compile_fresh(project, parsed)
    old_findings = findings(before, "yyfbf-2019-22.policy")
    ix, key = index.index(before.corpus), id(before.corpus)
    assert index.index(before.corpus) is ix and any(k[0] == key for k in model._DERIVED)
    parent = project.policies / "yfbf-2018-161.policy"
    parent.write_text(parent.read_text(encoding="utf-8").replace(PARENT_TASK, PARENT_TARGET), encoding="utf-8")
    after = compile_fresh(project, parsed)
    assert index.index(after.corpus) is not ix
    new = set(findings(after, "yyfbf-2019-22.policy")) - set(old_findings)
    assert [code for code, _ in new] == ["LS315"]
    assert findings(before, "yyfbf-2019-22.policy") == old_findings  # the first corpus still lints as before
    del before, ix
    gc.collect()
    assert not any(k[0] == key for k in model._DERIVED)


def test_editing_a_child_reparses_only_it(project, parsed):
    compile_fresh(project, parsed)
    child = project.policies / "cjbf-2024-54.policy"
    text = child.read_text(encoding="utf-8")
    child.write_text(text.replace("政策 cjbf-2024-54 {", "政策 cjbf-2024-54 {\n  备注 \"修订\"", 1), encoding="utf-8")
    comp = compile_fresh(project, parsed)
    assert parsed == ["cjbf-2024-54.policy"]
    assert "修订" in comp.corpus.policy("cjbf-2024-54").notes


def test_a_syntax_error_is_reported_every_time(project, parsed):
    compile_fresh(project, parsed)
    child = project.policies / "cjbf-2024-54.policy"
    child.write_text(child.read_text(encoding="utf-8").replace(HEAD, HEAD + BAD, 1), encoding="utf-8")
    for _ in range(2):
        comp = compile_fresh(project, parsed)
        assert parsed == ["cjbf-2024-54.policy"]
        assert [d.code for d in comp.diagnostics()] == ["LS104"]


def test_rename_and_delete_leave_nothing_stale(project, parsed):
    compile_fresh(project, parsed)
    (project.policies / "gf-2018-42.policy").rename(project.policies / "renamed.policy")
    comp = compile_fresh(project, parsed)
    assert parsed == ["renamed.policy"]  # spans carry the path, so a renamed file is parsed under its new name
    assert Path(comp.corpus.policy("gf-2018-42").file).name == "renamed.policy"
    assert all(Path(t.span.file).name == "renamed.policy" for t in comp.corpus.policy("gf-2018-42").tasks)
    (project.policies / "dzmf-2019-26.policy").unlink()
    comp = compile_fresh(project, parsed)
    assert parsed == [] and comp.corpus.policy("dzmf-2019-26") is None
    assert "dzmf-2019-26.policy" not in {Path(f).name for f in comp.sources}


def test_a_registry_edit_reaches_the_policies_that_use_it(project, parsed):
    compile_fresh(project, parsed)
    units = project.policies / "units" / "云阳县.units"
    text = units.read_text(encoding="utf-8")
    assert "单位 县民政局" in text or "县民政局" in text
    units.write_text(text.replace("县民政局", "县民政事务局"), encoding="utf-8")
    comp = compile_fresh(project, parsed)
    assert parsed == ["云阳县.units"]
    # the standard units lend the renamed unit of the role 民政 the usual name 县民政局 (standard_units.py), so the
    # policy's 县民政局 now means 云阳县/县民政事务局: the edit reached the policy, nothing of the old unit is kept
    ids = {a.unit.unit for t in comp.corpus.policy("yyfbf-2019-22").tasks for a in t.assignments}
    assert "云阳县/县民政事务局" in ids and "云阳县/县民政局" not in ids


@pytest.mark.parametrize("change", ["version", "grammar"])
def test_a_new_version_or_grammar_starts_over(project, parsed, monkeypatch, change):
    compile_fresh(project, parsed)
    old = {pack.parent.name for pack, _ in entries(project)}
    if change == "version":
        monkeypatch.setattr(cachestore, "__version__", "999.0")
    else:
        from luoshi.syntax import parse

        grammar = parse.grammar_text()
        monkeypatch.setattr(parse, "grammar_text", lambda: grammar + "\n// a new rule\n")
    compile_fresh(project, parsed)
    assert len(parsed) == source_count(project)
    assert {pack.parent.name for pack, _ in entries(project)}.isdisjoint(old)  # the old salt's folder is gone
    assert all(pack.parent.name not in old for pack in (project.root / cache.CACHE_DIR / "ast").rglob("*"))


def test_a_damaged_cache_is_ignored(project, parsed):
    cold = compile_fresh(project, parsed)
    found = entries(project)
    damage(*found[0], b"not an AST")
    damage(*found[1], row(*found[1])[:40])  # truncated
    damage(*found[2], row(*found[3]))  # another file's AST under this key, with this key's seal
    pack = cachestore.Pack(cachestore.Store(project.root, "ast", found[4][0].parent.name), cache.PACK)
    pack.put(found[4][1], row(*found[5]))  # another file's AST, sealed with this user's key: read, then refused
    assert pack.commit()
    pack.close()
    warm = compile_fresh(project, parsed)
    assert len(parsed) == 4
    assert warm.corpus == cold.corpus
    compile_fresh(project, parsed)
    assert parsed == []  # rewritten


def test_the_cache_can_be_turned_off(project, parsed, monkeypatch):
    monkeypatch.setenv("LUOSHI_NO_CACHE", "1")
    compile_fresh(project, parsed)
    compile_fresh(project, parsed)
    assert len(parsed) == source_count(project) and not (project.root / cache.CACHE_DIR).exists()


def test_parsing_on_every_core_gives_the_same_result(project, parsed, monkeypatch):
    monkeypatch.setenv("LUOSHI_NO_CACHE", "1")
    bad = project.policies / "cjbf-2024-54.policy"
    bad.write_text(bad.read_text(encoding="utf-8").replace(HEAD, HEAD + BAD, 1), encoding="utf-8")
    serial = compile_fresh(project, parsed)
    monkeypatch.setattr(perf, "PARALLEL_MIN", 1)
    monkeypatch.setenv("LUOSHI_JOBS", "2")
    parallel = compile_fresh(project, parsed)
    assert parsed == []  # parsed in the workers, not here
    assert parallel.corpus == serial.corpus
    assert [d.to_json() for d in parallel.diagnostics()] == [d.to_json() for d in serial.diagnostics()]
    assert [d.code for d in parallel.diagnostics()] == ["LS104"]



def test_the_package_digest_hashes_every_source_file_of_the_package_in_path_order():
    """The caches' salt hashes the package's source files (`cachestore.package_digest`), listed with `os.scandir`
    as strings: the same files, in the same order, as `Path.rglob` filtered by suffix without `__pycache__`, sorted
    by parts, so the digest is the one that definition gives."""
    import hashlib

    from luoshi.syntax.grammar import grammar_text

    here = Path(cachestore.__file__).resolve().parents[1]
    files = sorted((p for p in here.rglob("*") if p.suffix in cachestore.SOURCE_SUFFIXES
                    and "__pycache__" not in p.parts and p.is_file()), key=lambda p: p.parts)
    assert cachestore._package_files() == files and len(files) > 100
    assert any(p.suffix == ".lark" or p.suffix == ".j2" for p in files)
    h = hashlib.sha256()
    for path in files:
        h.update(str(path.relative_to(here)).encode("utf-8", "surrogateescape") + b"\0" + path.read_bytes() + b"\0")
    h.update(grammar_text().encode("utf-8"))
    assert cachestore.package_digest() == h.hexdigest()


def test_entries_no_run_uses_are_removed_once_they_are_most(project, parsed):
    """`AstCache.finish` after a run that added entries: a pack holding more than twice the used entries (+64),
    here 200 stale ones, keeps only those the run used."""
    compile_fresh(project, parsed)
    (pack_path, _), *_ = entries(project)
    pack = cachestore.Pack(cachestore.Store(project.root, "ast", pack_path.parent.name), cache.PACK)
    for n in range(200):
        pack.put(f"{n:064x}", b"stale")
    assert pack.commit()
    pack.close()
    assert len(entries(project)) == source_count(project) + 200
    compile_fresh(project, parsed)  # nothing added: nothing pruned
    assert len(entries(project)) == source_count(project) + 200
    child = project.policies / "cjbf-2024-54.policy"
    child.write_text(child.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    compile_fresh(project, parsed)
    assert parsed == ["cjbf-2024-54.policy"]
    assert len(entries(project)) == source_count(project)  # the old text's entry went with the stale ones
