"""The incremental build (luoshi/driver/incremental.py) says exactly what a cold run says: after each of many random edits
— text, lead units, tasks added, removed or renamed, implements links added or removed, a parent broken by a
syntax error, the registry edited, files added or deleted, a duplicate id, a suppression comment — the JSON of
`luoshi lint` and of `luoshi check` from the incremental run is byte for byte that of a cold compile + lint.
Editing a parent policy re-lints its children; nothing stale survives."""

from __future__ import annotations

import json
import marshal
import os
import random
import re
import shutil
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from luoshi.driver import cachestore, incremental, pipeline
from luoshi.lint.baseline import fingerprints
from luoshi.lint.config import load_config
from luoshi.lint.engine import lint
from luoshi.lint.report import render_json
from luoshi.driver.project import Project
from luoshi.diagnostics.render import render_json as check_json

sys.path.insert(0, str(ROOT / "bench"))
import synth  # noqa: E402


def _project(root: Path) -> Project:
    return Project(root, root / "policies", root / "build")


@pytest.fixture
def small(tmp_path, monkeypatch) -> Project:
    """A synthetic municipal family: the city, 2 districts, 3 subdistricts each (9 policies, 8 tasks each)."""
    synth.generate(tmp_path / "p", districts=2, townships=3, tasks=8, seed=3)
    monkeypatch.chdir(tmp_path / "p")
    monkeypatch.delenv("LUOSHI_NO_CACHE", raising=False)
    return _project(tmp_path / "p")


@pytest.fixture
def seeds(tmp_path, monkeypatch) -> Project:
    """The seed corpus's files as listed in tests/fixtures/corpus/seed-files.txt (their current text): the random
    edits pick files by index, so a policy added to policies/ would change every edit of a seeded run."""
    listed = set((ROOT / "tests" / "fixtures" / "corpus" / "seed-files.txt").read_text(encoding="utf-8").split())
    shutil.copytree(ROOT / "policies", tmp_path / "s" / "policies",
                    ignore=lambda folder, names: [n for n in names if Path(n).suffix in (".policy", ".units") and
                                                  str((Path(folder) / n).relative_to(ROOT / "policies")) not in listed])
    (tmp_path / "s" / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "policies"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path / "s")
    monkeypatch.delenv("LUOSHI_NO_CACHE", raising=False)
    return _project(tmp_path / "s")


def lint_json(comp, result, project: Project) -> str:
    """What `luoshi lint -f json` prints (no baseline), from a compilation and its lint result."""
    config, errors = load_config(project)
    active = [*errors, *comp.diagnostics(), *result.diagnostics]
    files = len(comp.selected_files) if comp.selected_files is not None else len(comp.sources)
    return render_json(active, fingerprints(active, project.root), files=files, baselined=0,
                       suppressed=len(result.suppressed), stale=0) + json.dumps(
        [[d.to_json(), why] for d, why in result.suppressed], ensure_ascii=False) + str(comp.context_errors())


def check_out(comp) -> str:
    files = len(comp.selected_files) if comp.selected_files is not None else len(comp.sources)
    return check_json(comp.diagnostics(), files=files) + str(comp.context_errors())


def cold(project: Project, targets=None) -> tuple[str, str]:
    pipeline._PARSED.clear()
    config, _ = load_config(project)
    comp = pipeline.compile_paths(targets, project)
    return lint_json(comp, lint(comp.corpus, comp.sources, config), project), check_out(comp)


STATS: dict = {}


def warm(project: Project, targets=None) -> tuple[str, str, str]:
    """(lint JSON, check JSON, how the lint run went: full or incremental)."""
    config, _ = load_config(project)
    out = incremental.check_and_lint(targets, project, config)
    mode = out.mode
    STATS.clear()
    STATS.update(incremental.STATS)  # of the lint run
    checked = incremental.check_and_lint(targets, project, lint=False)
    return lint_json(out.compilation, out.lint, project), check_out(checked.compilation), mode


def same(project: Project, targets=None) -> str:
    lint_warm, check_warm, mode = warm(project, targets)
    lint_cold, check_cold = cold(project, targets)
    assert lint_warm == lint_cold
    assert check_warm == check_cold
    return mode


# ── edits ──

def _policy_files(project: Project) -> list[Path]:
    return sorted(project.policies.rglob("*.policy"))


def _block(lines: list[str], start: int) -> int:
    """The index after the block opened on line `start` (braces counted outside quotes)."""
    depth = 0
    for n in range(start, len(lines)):
        text = re.sub(r'"""(?:.|\n)*?"""|"(?:[^"\\\n]|\\.)*"', "", lines[n])
        depth += text.count("{") - text.count("}")
        if depth <= 0 and n > start or depth == 0 and "{" in text:
            return n + 1
    return len(lines)


def _task_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if re.match(r"\s*(任务|措施|阶段)\s+\S+.*\{\s*$", line)]


def edit_text(rng, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition('标题 "')
    path.write_text(f"{head}{sep}修订{rng.randint(0, 10**6)} {rest}" if sep else text + "\n# 修订\n", encoding="utf-8")


def shift_lines(rng, path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    at = rng.randrange(1, max(2, len(lines) - 1))
    lines.insert(at, "")
    path.write_text("\n".join(lines), encoding="utf-8")


def change_lead(rng, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    leads = list(re.finditer(r"(牵头|负责)\s+(\S+)", text))
    units = sorted({u for m in re.finditer(r"(?:牵头|负责|配合)\s+(\S+)", text) for u in re.split("[、，]", m.group(1))})
    if not leads or not units:
        return edit_text(rng, path)
    m = rng.choice(leads)
    new = rng.choice(units + ["不存在的单位"])
    path.write_text(text[: m.start(2)] + new + text[m.end(2):], encoding="utf-8")


def rename_task(rng, path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    found = _task_lines(lines)
    if not found:
        return edit_text(rng, path)
    i = rng.choice(found)
    lines[i] = re.sub(r"^(\s*\S+\s+)(\S+)", lambda m: m.group(1) + m.group(2) + "9", lines[i], count=1)
    path.write_text("\n".join(lines), encoding="utf-8")


def remove_task(rng, path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    found = _task_lines(lines)
    if not found:
        return edit_text(rng, path)
    i = rng.choice(found)
    del lines[i:_block(lines, i)]
    path.write_text("\n".join(lines), encoding="utf-8")


def add_task(rng, path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    found = _task_lines(lines)
    if not found:
        return edit_text(rng, path)
    i = rng.choice(found)
    block = lines[i:_block(lines, i)]
    block[0] = re.sub(r"^(\s*\S+\s+)(\S+)", lambda m: m.group(1) + m.group(2) + "8", block[0], count=1)
    lines[i:i] = block
    path.write_text("\n".join(lines), encoding="utf-8")


def drop_link(rng, path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    found = [i for i, line in enumerate(lines) if line.strip().startswith("落实 ")]
    if not found:
        return edit_text(rng, path)
    del lines[rng.choice(found)]
    path.write_text("\n".join(lines), encoding="utf-8")


def add_link(rng, path: Path, project: Project) -> None:
    """A task-level 落实 to some task of another policy (a new parent, a reversed link, a cycle …)."""
    others = [p for p in _policy_files(project) if p != path]
    lines = path.read_text(encoding="utf-8").split("\n")
    found = _task_lines(lines)
    if not others or not found:
        return edit_text(rng, path)
    other = rng.choice(others).read_text(encoding="utf-8")
    pid = re.search(r"(?:政策|文件)\s+(\S+)\s*\{", other)
    tasks = re.findall(r"(?:任务|措施|阶段)\s+(\S+)", other)
    if not pid:
        return edit_text(rng, path)
    target = f"{pid.group(1)}:{rng.choice(tasks)}" if tasks and rng.random() < 0.8 else pid.group(1)
    i = rng.choice(found)
    indent = re.match(r"\s*", lines[i]).group(0) + "  "
    lines.insert(i + 1, f"{indent}落实 {target}")
    if rng.random() < 0.5:  # and at policy level, so LS320 does not hide the chain rules
        head = next(n for n, line in enumerate(lines) if re.match(r"(政策|文件)\s", line))
        lines.insert(head + 1, f"  落实 {pid.group(1)}")
    path.write_text("\n".join(lines), encoding="utf-8")


def break_file(rng, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    at = rng.randrange(len(text) // 2, len(text))
    path.write_text(text[:at] + "\n  {{{ 语法错误 \n" + text[at:], encoding="utf-8")


def edit_registry(rng, project: Project) -> None:
    files = sorted(project.policies.rglob("*.units"))
    path = rng.choice(files)
    text = path.read_text(encoding="utf-8")
    if rng.random() < 0.5 and "角色" in text and "辖区" in text:
        path.write_text(text + "\n", encoding="utf-8")
    else:
        path.write_text(text.replace("单位 ", "单位 新", 1), encoding="utf-8")


def add_file(rng, project: Project) -> None:
    src = rng.choice(_policy_files(project))
    text = src.read_text(encoding="utf-8")
    dup = rng.random() < 0.3
    if not dup:
        text = re.sub(r"^((?:政策|文件)\s+)(\S+)", lambda m: m.group(1) + m.group(2) + "-copy", text, count=1, flags=re.M)
    (src.parent / f"{src.stem}-new{rng.randint(0, 999)}.policy").write_text(text, encoding="utf-8")


def delete_file(rng, project: Project, originals: dict[Path, str]) -> None:
    files = _policy_files(project)
    added = [p for p in files if p not in originals]
    if added and rng.random() < 0.7:
        rng.choice(added).unlink()
    elif len(files) > 3:
        rng.choice(files).unlink()


def suppress(rng, path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    found = _task_lines(lines)
    if not found:
        return edit_text(rng, path)
    i = rng.choice(found) + 1
    lines.insert(i, f"      # luoshi: ignore[{rng.choice(['LS313', 'LS311', 'LS317', 'LS312'])}] 本级情况不同")
    path.write_text("\n".join(lines), encoding="utf-8")


def change_date(rng, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"成文日期\s+\d{4}年", f"成文日期 {rng.choice([2017, 2019, 2021])}年", text, count=1), encoding="utf-8")


def random_edit(rng, project: Project, originals: dict[Path, str]) -> str:
    files = _policy_files(project)
    path = rng.choice(files)
    kind = rng.choice(["text", "text", "shift", "lead", "lead", "rename", "remove", "add", "drop_link", "add_link",
                       "break", "registry", "add_file", "delete_file", "suppress", "date", "restore", "restore", "cleanup"])
    edits = {
        "text": lambda: edit_text(rng, path), "shift": lambda: shift_lines(rng, path),
        "lead": lambda: change_lead(rng, path), "rename": lambda: rename_task(rng, path),
        "remove": lambda: remove_task(rng, path), "add": lambda: add_task(rng, path),
        "drop_link": lambda: drop_link(rng, path), "add_link": lambda: add_link(rng, path, project),
        "break": lambda: break_file(rng, path), "registry": lambda: edit_registry(rng, project),
        "add_file": lambda: add_file(rng, project), "delete_file": lambda: delete_file(rng, project, originals),
        "suppress": lambda: suppress(rng, path), "date": lambda: change_date(rng, path),
    }
    if kind in edits:
        edits[kind]()
    elif kind == "cleanup":  # remove the files added (a duplicate id keeps every run a full one while it lasts)
        for p in files:
            if p not in originals:
                p.unlink()
    else:  # put a file back as it was (a broken parent fixed, a deleted file restored …)
        back = rng.choice(sorted(originals))
        back.write_text(originals[back], encoding="utf-8")
    return kind


def run_edits(project: Project, seed: int, steps: int, enough: int | None = None) -> dict[str, int]:
    """Random edits, each run compared with a cold one; stops early once `enough` runs were incremental."""
    rng = random.Random(seed)
    originals = {p: p.read_text(encoding="utf-8") for p in project.policies.rglob("*") if p.is_file()}
    modes = {"full": 0, "incremental": 0}
    modes[same(project)] += 1
    for step in range(steps):
        kind = random_edit(rng, project, originals)
        if rng.random() < 0.3:  # several edits between two runs
            random_edit(rng, project, originals)
        try:
            modes[same(project)] += 1
        except AssertionError:
            pytest.fail(f"seed {seed}, step {step} ({kind}): the incremental output differs from a cold run")
        assert not STATS.get("fallback", "").startswith("error"), (step, kind, STATS)
        if enough is not None and modes["incremental"] >= enough:
            break
    return modes


# ── tests ──

def test_random_edits_small_synthetic(small):
    modes = run_edits(small, seed=11, steps=60)
    assert modes["incremental"] >= 20, modes


def test_random_edits_seeds(seeds):
    modes = run_edits(seeds, seed=5, steps=30)
    assert modes["incremental"] >= 10, modes


def test_editing_a_parent_relints_its_children(small):
    """The issue's done-when: a parent's new lead unit reaches every child's LS311 finding, incrementally."""
    assert same(small) == "full"
    assert same(small) == "incremental"  # nothing changed
    parent = small.policies / "syn-d1.policy"
    text = parent.read_text(encoding="utf-8")
    children = {f"policies/syn-d1-t{n}.policy" for n in (1, 2, 3)}

    def ls311() -> set[str]:
        report, _ = json.JSONDecoder().raw_decode(warm(small)[0])
        return {d["span"]["file"] for d in report["diagnostics"] if d["code"] == "LS311"}

    assert not ls311() & children
    m = re.search(r"牵头 (\S+)", text)
    parent.write_text(text[: m.start(1)] + "区财政局" + text[m.end(1):], encoding="utf-8")
    assert same(small) == "incremental"
    assert STATS["dirty"] == 1 + 3  # the parent and its three children
    assert ls311() & children == children
    parent.write_text(text, encoding="utf-8")
    assert same(small) == "incremental"
    assert not ls311() & children


def test_editing_a_child_touches_only_the_child(small):
    same(small)
    child = small.policies / "syn-d2-t3.policy"
    edit_text(random.Random(1), child)
    assert same(small) == "incremental"
    assert (STATS["changed"], STATS["dirty"], STATS["context"]) == (1, 1, 1)


def test_an_edit_reads_and_writes_only_its_entries_of_the_pack(small, monkeypatch):
    """The registry's units and name tables and each file's lint facts are entries of one pack
    (cachestore.Pack), as is the state, in rows of `STATE_ROWS` files and a head: after a child's edit the run
    looks up the few units its resolving names, reads no file's facts (no corpus-wide rule runs again), and
    replaces only the edited file's facts entry, the state's rows holding that file and its parent and its head, in
    one commit."""
    if not fine_timestamps(small.root):
        pytest.skip("the file system keeps whole seconds")
    monkeypatch.setattr(incremental, "STATE_ROWS", 2)  # rows of 2 files: the corpus's state is many rows
    monkeypatch.setattr(incremental, "RACY_NS", 0)  # trust signatures at once: no other file is read (and so redone)
    same(small)
    time.sleep(0.02)
    pack = next((small.root / ".luoshi-cache" / "incremental").rglob(incremental.PACK))
    with sqlite3.connect(pack) as db:
        units = db.execute("SELECT count(*) FROM entries WHERE name LIKE 'u/%'").fetchone()[0]
    read: list[str] = []
    commits: list[tuple[set[str], set[str]]] = []
    real_get, real_commit = cachestore.Pack.get_many, cachestore.Pack.commit

    def get_many(self, names):
        names = list(names)
        read.extend(names)
        return real_get(self, names)

    def commit(self):
        if self.name == incremental.PACK and (self._puts or self._drops or self._clear):  # not the AST cache's pack
            commits.append((set(self._puts), set(self._drops)))
        return real_commit(self)

    with monkeypatch.context() as patched:
        patched.setattr(cachestore.Pack, "get_many", get_many)
        patched.setattr(cachestore.Pack, "commit", commit)
        child = small.policies / "syn-d2-t3.policy"
        edit_text(random.Random(1), child)
        config, _ = load_config(small)
        assert incremental.check_and_lint(None, small, config).mode == "incremental"
    looked_up = [n for n in read if n.startswith("u/")]
    assert 0 < len(looked_up) < units / 4, (len(looked_up), units)
    assert not [n for n in read if n.startswith("f/")]
    assert incremental.UNIT_IDS not in read  # the registry's unit ids are not listed by a child's edit
    (puts, drops), = commits
    new_key = pipeline.key("policies/syn-d2-t3.policy", child.read_text(encoding="utf-8"))
    with sqlite3.connect(pack) as db:
        rows = dict(db.execute("SELECT name, data FROM entries WHERE name LIKE 's/lint/r%'").fetchall())
    tag = incremental._TAG
    held = {name: [r[0] for r in marshal.loads(data[tag + 8:tag + 8 + int.from_bytes(data[tag:tag + 8], "little")])[0]]
            for name, data in rows.items()}
    assert len(held) > 2 and all(len(files) <= 2 for files in held.values())
    # the rows holding the child and its parent (resolved again as context: its index entries are made again)
    rows_of = {name for name, files in held.items() if {"policies/syn-d2-t3.policy", "policies/syn-d2.policy"} & set(files)}
    assert puts == {f"f/{new_key}", "s/lint/head", *rows_of} and len(rows_of) < len(held) / 2
    assert len(drops) == 1 and next(iter(drops)).startswith("f/") and drops != puts
    assert same(small) == "incremental"


def test_falls_back_to_a_full_run(small):
    same(small)
    units = sorted(small.policies.rglob("*.units"))[0]
    units.write_text(units.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert same(small) == "full" and STATS["fallback"] == "registry changed"
    assert same(small) == "incremental"
    (small.policies / "syn-d1-t1.policy").unlink()
    assert same(small) == "full" and STATS["fallback"] == "file list"
    leaf = small.policies / "syn-d1-t2.policy"
    leaf.write_text(leaf.read_text(encoding="utf-8").replace("政策 syn-d1-t2", "政策 syn-d1-t3"), encoding="utf-8")
    assert same(small) == "full"  # a duplicate id: no state is kept while it lasts
    assert same(small) == "full"


def test_a_duplicate_id_made_and_undone_by_edits(small):
    """A file declaring the city's id again, sorting first and with one task of the city's eight: warm and cold give
    the same two LS203 and nothing else (no LS204 for the districts' links to tasks the first declaration lacks,
    no LS221 for the 文号 it copies); an edit while it lasts, and the edit removing it, give the cold answer too."""
    same(small)
    city = (small.policies / "syn-city.policy").read_text(encoding="utf-8")
    copy = small.policies / "syn-a.policy"
    copy.write_text(city[:city.index("    任务 2.2 ")] + "  }\n}\n", encoding="utf-8")
    assert same(small) == "full"
    comp = incremental.check_and_lint(None, small, lint=False).compilation
    errors = [(d.code, d.span.file if d.span else None) for d in comp.diagnostics() if d.severity.name == "ERROR"]
    assert errors == [("LS203", "policies/syn-a.policy"), ("LS203", "policies/syn-city.policy")]
    edit_text(random.Random(4), small.policies / "syn-d1.policy")
    assert same(small) == "full"  # a duplicate id: no state is kept while it lasts
    copy.unlink()
    assert same(small) == "full"
    edit_text(random.Random(7), small.policies / "syn-d1.policy")
    assert same(small) == "incremental"


def test_selection_and_ids(small):
    same(small)
    edit_text(random.Random(2), small.policies / "syn-d1.policy")
    for targets in (["policies/syn-d1.policy"], ["syn-d2-t1"], ["nonexistent-id"], ["policies"]):
        same(small, targets)


def _state_rows(project: Project) -> tuple[Path, list[tuple[str, bytes, bytes]]]:
    pack = next((project.root / ".luoshi-cache" / "incremental").rglob(incremental.PACK))
    with sqlite3.connect(pack) as db:
        return pack, db.execute("SELECT name, mac, data FROM entries WHERE name LIKE 's/%'").fetchall()


def test_no_cache_and_damaged_state(small, monkeypatch):
    same(small)
    pack, rows = _state_rows(small)
    assert {name for name, _, _ in rows} >= {"s/lint/head", "s/lint/r0"}  # (check reads lint's)
    with sqlite3.connect(pack) as db:  # the state's rows damaged: their seals fail, so they are missing
        db.executemany("UPDATE entries SET data = ? WHERE name = ?", [(b"damaged" + data, name) for name, _, data in rows])
    assert same(small) == "full"
    monkeypatch.setenv("LUOSHI_NO_CACHE", "1")
    edit_text(random.Random(3), small.policies / "syn-d1.policy")
    assert same(small) == "full"


def test_state_rows_of_another_run_are_not_mixed_with_its_head(small, monkeypatch):
    """The state is a head and rows of `STATE_ROWS` files, and an edit rewrites the rows it changed: the head names
    its rows by tag, so a row of an earlier run beside a later head (another run's transaction between two reads)
    is not taken for the head's. The run is then the full run, whose output is the cold run's."""
    if not fine_timestamps(small.root):
        pytest.skip("the file system keeps whole seconds")
    monkeypatch.setattr(incremental, "STATE_ROWS", 2)
    monkeypatch.setattr(incremental, "RACY_NS", 0)  # trust signatures at once: only the edited file is read
    same(small)
    time.sleep(0.02)
    pack, before = _state_rows(small)
    edit_text(random.Random(5), small.policies / "syn-d1-t1.policy")
    assert same(small) == "incremental"
    _, after = _state_rows(small)
    stale = [row for row in before if row[0].startswith("s/lint/r") and row not in after]
    assert stale  # the edit rewrote some of lint's rows (and kept the others: `before` has rows `after` has too)
    assert set(before) & set(after)
    with sqlite3.connect(pack) as db:
        db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", stale)
    time.sleep(0.02)
    edit_text(random.Random(6), small.policies / "syn-d2-t1.policy")
    assert same(small) == "full" and "fallback" not in STATS  # no state: not an error in the incremental path
    assert same(small) == "incremental"


def test_bom_crlf_and_bad_encoding(small):
    same(small)
    leaf = small.policies / "syn-d2-t1.policy"
    text = leaf.read_text(encoding="utf-8")
    leaf.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert same(small) == "incremental"
    leaf.write_bytes(text.encode("gb18030"))
    assert same(small) == "full" and STATS["fallback"] == "unreadable file"
    leaf.write_text(text, encoding="utf-8")
    same(small)
    assert same(small) == "incremental"


def fine_timestamps(folder: Path) -> bool:
    """Whether the file system keeps sub-second times (RACY_NS = 0 below is only safe then)."""
    probe = folder / ".probe"
    stamps = set()
    for _ in range(3):
        probe.write_text("x", encoding="utf-8")
        stamps.add(probe.stat().st_mtime_ns % 1_000_000_000)
        time.sleep(0.003)
    probe.unlink()
    return stamps != {0}


def test_unchanged_files_are_not_read(small, monkeypatch):
    """A file whose signature (inode, size, mtime, ctime) is as recorded is not read; an edit that keeps the size
    and puts the modification time back still changes the change time, so it is read."""
    if not fine_timestamps(small.root):
        pytest.skip("the file system keeps whole seconds")
    monkeypatch.setattr(incremental, "RACY_NS", 0)  # trust signatures at once (normally: only after 2 s)
    same(small)
    time.sleep(0.02)
    assert same(small) == "incremental" and STATS["read"] == 0
    leaf = small.policies / "syn-d1-t2.policy"
    st, text = leaf.stat(), leaf.read_text(encoding="utf-8")
    time.sleep(0.02)
    leaf.write_text(text.replace("牵头 第1区第2街道", "牵头 第1区第3街道", 1), encoding="utf-8")
    os.utime(leaf, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert leaf.stat().st_size == st.st_size and leaf.stat().st_mtime_ns == st.st_mtime_ns
    assert same(small) == "incremental" and (STATS["read"], STATS["changed"]) == (1, 1)


def test_random_edits_trusting_signatures(small, monkeypatch):
    if not fine_timestamps(small.root):
        pytest.skip("the file system keeps whole seconds")
    monkeypatch.setattr(incremental, "RACY_NS", 0)
    modes = run_edits(small, seed=21, steps=20)
    assert modes["incremental"] >= 6, modes


def test_command_line_output_is_the_same(small):
    """`luoshi lint` and `luoshi check` as people run them (human and JSON output, exit codes): after edits, the
    incremental commands print what the same commands print without any cache."""
    from typer.testing import CliRunner

    from luoshi.cli import app

    runner = CliRunner()
    rng = random.Random(4)
    originals = {p: p.read_text(encoding="utf-8") for p in small.policies.rglob("*") if p.is_file()}
    for step in range(4):
        for args in (["lint"], ["lint", "-f", "sarif", "--strict"], ["check", "-f", "json"], ["lint", "syn-d1"],
                     ["check", "policies/syn-d2.policy"]):
            warm = runner.invoke(app, args)
            cold = runner.invoke(app, args, env={"LUOSHI_NO_CACHE": "1"})
            assert (warm.exit_code, warm.output) == (cold.exit_code, cold.output), (step, args)
        if step == 1:  # findings known in a baseline are held back, as in a cold run
            assert runner.invoke(app, ["lint", "--write-baseline"]).exit_code == 0
        change_lead(rng, small.policies / "syn-d1.policy") if step % 2 else random_edit(rng, small, originals)


def test_working_folder_and_configuration(small, monkeypatch):
    same(small)
    monkeypatch.chdir(small.policies)  # spans are shown relative to the working folder
    assert same(small) == "full"
    assert same(small) == "incremental"
    monkeypatch.chdir(small.root)
    same(small)
    pyproject = small.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + '\n[tool.luoshi.lint]\ndisable = ["LS313"]\n'
                         'per-file-ignores = { "syn-d1-*.policy" = ["LS330"] }\n', encoding="utf-8")
    assert same(small) == "full"  # another lint configuration
    edit_text(random.Random(5), small.policies / "syn-d1.policy")
    assert same(small) == "incremental"


def test_check_after_lint_is_incremental(small):
    config, _ = load_config(small)
    assert incremental.check_and_lint(None, small, config).mode == "full"
    edit_text(random.Random(6), small.policies / "syn-d2.policy")
    assert incremental.check_and_lint(None, small, lint=False).mode == "incremental"
    assert incremental.STATS["dirty"] == 4
    assert same(small) == "incremental"


def test_corpus_wide_findings_follow_edits(small):
    """LS319 (a cycle made and unmade by one edit), LS330 (a unit no longer named) and LS332 (a policy cut off),
    recomputed from the summaries."""
    same(small)
    city = small.policies / "syn-city.policy"
    text = city.read_text(encoding="utf-8")
    city.write_text(text.replace("  辖区 重庆市\n", "  辖区 重庆市\n  落实 syn-d1\n", 1), encoding="utf-8")
    assert same(small) == "incremental" and '"LS319"' in warm(small)[0]
    city.write_text(text, encoding="utf-8")
    assert same(small) == "incremental" and '"LS319"' not in warm(small)[0]
    leaf = small.policies / "syn-d2-t2.policy"
    leaf_text = leaf.read_text(encoding="utf-8")
    leaf.write_text(re.sub(r"\n *落实 [^\n]*", "", leaf_text), encoding="utf-8")  # no link left: isolated
    assert same(small) == "incremental" and "syn-d2-t2 implements nothing" in warm(small)[0]
    leaf.write_text(re.sub(r"(牵头|配合) [^\n]*", r"\1 第2区第2街道办事处", leaf_text), encoding="utf-8")
    assert same(small) == "incremental"


# ── one driver: the rules to run again are derived from what each rule reads ──

def test_every_rule_declares_what_it_reads():
    from luoshi.lint.engine import CORPUS_WIDE, LOCAL_RULES
    from luoshi.lint.rule import INPUTS, RULES, rule

    assert {r.code for r in RULES} == LOCAL_RULES | CORPUS_WIDE and not LOCAL_RULES & CORPUS_WIDE
    assert CORPUS_WIDE == {"LS319", "LS330", "LS331", "LS332"}  # the graph, unit mentions, the registry
    assert all(r.reads <= INPUTS and r.reads for r in RULES)
    assert {r.code: r.takes for r in RULES if not r.local} == {
        "LS319": "summary", "LS330": "summary", "LS331": "registry", "LS332": "summary"}
    for bad in ("everything", ("policy", "links"), ()):
        with pytest.raises(ValueError):
            rule("LS999", reads=bad)


@pytest.mark.parametrize("changed, expected", [
    ((), set()),
    (("places",), {"LS319", "LS332"}),  # a line added: the findings' places move
    (("links",), {"LS319", "LS332"}),
    (("mentions",), {"LS330"}),
    (("registry",), {"LS330", "LS331"}),
    (("links", "mentions"), {"LS319", "LS330", "LS332"}),
])
def test_the_rules_run_again_are_those_whose_inputs_changed(changed, expected):
    from luoshi.lint.config import LintConfig
    from luoshi.lint.rule import RULES

    before = {name: f"d-{name}" for name in ("links", "places", "mentions", "registry")}
    kept = {r.code: (incremental.rule_digest(r, before), []) for r in RULES if not r.local}
    after = {name: (f"e-{name}" if name in changed else d) for name, d in before.items()}
    assert incremental.rerun_set(RULES, LintConfig(), kept, after) == expected
    assert incremental.rerun_set(RULES, LintConfig(), {}, after) == {"LS319", "LS330", "LS331", "LS332"}
    assert "LS330" not in incremental.rerun_set(RULES, LintConfig(disable=("LS330",)), kept, after)  # not run at all


def test_an_edit_reruns_only_the_rules_that_read_what_changed(small):
    same(small)
    leaf = small.policies / "syn-d2-t2.policy"
    text = leaf.read_text(encoding="utf-8")
    registry = (small.policies / "units" / "第2区-街道.units").read_text(encoding="utf-8")
    unnamed = next(u for u in sorted(set(re.findall(r"第2区第2街道[^\s、\"{}]+", registry))) if u not in text)
    m = re.search(r"配合 [^\n]+", text)
    leaf.write_text(text[: m.end()] + "、" + unnamed + text[m.end():], encoding="utf-8")  # one more unit, same lines
    assert same(small) == "incremental"
    assert STATS["rules"] == ["LS330"]  # only the unit mentions changed
    edited = leaf.read_text(encoding="utf-8")
    leaf.write_text(edited.replace("\n", "\n\n", 3), encoding="utf-8")  # the same links and units, lines moved
    assert same(small) == "incremental"
    assert "LS330" not in STATS["rules"] and {"LS319", "LS332"} <= set(STATS["rules"])
    assert same(small) == "incremental" and STATS["rules"] == []  # nothing changed: every finding kept


def test_full_and_incremental_runs_call_the_same_stage_functions(small, monkeypatch):
    """The incremental run resolves through `resolve.resolve_policy` and parses through `pipeline.parse_packed`,
    as the full run does: counted here, for the edited file and the files it reaches."""
    from luoshi.semantics import resolve

    calls: list[str] = []
    real_resolve, real_parse = resolve.resolve_policy, pipeline.parse_packed

    def resolving(policy, *args):
        calls.append(policy.id.text)
        return real_resolve(policy, *args)

    def parsing(sources, *args):
        packed = real_parse(sources, *args)  # the full run's sources come in as they are read
        calls.append(f"parse:{len(packed.sources)}")
        return packed

    for module in (pipeline, incremental):
        monkeypatch.setattr(module, "resolve_policy", resolving)
        monkeypatch.setattr(module, "parse_packed", parsing)
    config, _ = load_config(small)
    assert incremental.check_and_lint(None, small, config).mode == "full"
    assert calls[0] == f"parse:{len(pipeline.source_files(small.policies))}" and len(calls) == 1 + 9
    calls.clear()
    edit_text(random.Random(1), small.policies / "syn-d2-t3.policy")
    assert incremental.check_and_lint(None, small, config).mode == "incremental"
    assert calls == ["parse:1", "syn-d2-t3", "syn-d2"]  # the child, and its parent as context (file order)


def test_the_incremental_run_imports_no_private_name():
    """It reuses the stages through their public functions, so a stage's internals can change under it."""
    import ast as pyast

    tree = pyast.parse(Path(incremental.__file__).read_text(encoding="utf-8"))
    private = [(node.module, a.name) for node in pyast.walk(tree) if isinstance(node, pyast.ImportFrom)
               for a in node.names if a.name.startswith("_")]
    assert private == []


def test_a_parent_cited_by_its_number_relints_its_children(small):
    """Children that cite their parent by 文号 (落实 沪府〔2019〕1号) are re-resolved when it changes, as by id."""
    parent = small.policies / "syn-d1.policy"
    text = parent.read_text(encoding="utf-8")
    parent.write_text(re.sub(r'文号 "[^"]*"', '文号 "璧府发〔2019〕1号"', text, count=1), encoding="utf-8")
    for n in (1, 2, 3):
        child = small.policies / f"syn-d1-t{n}.policy"
        child.write_text(child.read_text(encoding="utf-8").replace("syn-d1:", "璧府发〔2019〕1号:").replace(
            "落实 syn-d1\n", "落实 璧府发〔2019〕1号\n"), encoding="utf-8")
    assert same(small) == "full"
    assert "璧府发〔2019〕1号:" in (small.policies / "syn-d1-t1.policy").read_text(encoding="utf-8")
    text = parent.read_text(encoding="utf-8")
    m = re.search(r"牵头 (\S+)", text)
    parent.write_text(text[: m.start(1)] + "区财政局" + text[m.end(1):], encoding="utf-8")
    assert same(small) == "incremental"
    assert STATS["dirty"] == 1 + 3  # the parent and its three children, found through the 文号
    parent.write_text(re.sub(r'文号 "[^"]*"', '文号 "璧府发〔2019〕2号"', text, count=1), encoding="utf-8")
    assert same(small) == "full"  # a changed 文号: the full run says which references it breaks


def test_the_registry_read_back_from_the_pack_is_the_one_built(small):
    """The registry's head keeps the jurisdictions as marshal rows (`_encode_jurisdictions`), not pickled models:
    read back by a rebuild, they equal the registry stage's and dump as its models do."""
    same(small)
    built = pipeline.compile_paths(None, small).corpus
    config, _ = load_config(small)
    run = incremental._Run(None, small, config)
    state = run._load()
    assert state is not None
    registry = run._registry(state.files, {}, None)  # type: ignore[arg-type]  # the saved one: no AST is read
    run.pack.close()
    assert isinstance(registry.units, incremental._Packed)  # it was read from the pack, not built again
    assert len(registry.jurisdictions) == len(built.jurisdictions) > 3
    assert {k: j.model_dump() for k, j in registry.jurisdictions.items()} == {j.id: j.model_dump() for j in built.jurisdictions}
    assert {k: j for k, j in registry.jurisdictions.items()} == {j.id: j for j in built.jurisdictions}
    assert incremental._encode_jurisdictions({"x": object()}) is None  # what marshal cannot hold stays pickled
    listed = list(registry.units)  # from the unit ids' own entry
    assert len(listed) == len(built.units) and sorted(listed) == sorted(u.id for u in built.units)
    assert "not a unit" not in registry.units


def test_the_registry_unit_ids_of_another_run_are_not_taken(small):
    """The registry's unit ids are a pack entry of their own, read only when the units are listed; its head names
    them by digest, so ids written by another run (here: one id fewer, sealed by this user's key) make the run
    that needs them the full run instead of listing the wrong units."""
    same(small)
    config, _ = load_config(small)
    run = incremental._Run(None, small, config)
    state = run._load()
    assert state is not None
    ids = run.pack.get(incremental.UNIT_IDS)
    assert ids is not None
    run.pack.put(incremental.UNIT_IDS, ids[:ids.rindex(b"\0", 0, len(ids) - 1) + 1])
    assert run.pack.commit()
    registry = run._registry(state.files, {}, None)  # type: ignore[arg-type]
    with pytest.raises(incremental._Fallback):
        list(registry.units)
    run.pack.close()
    edit_text(random.Random(2), small.policies / "syn-d1-t1.policy")
    assert same(small) == "incremental"  # an edit that lists no unit does not read them


def test_the_walk_lists_and_signs_files_as_the_full_run(small, monkeypatch):
    """`_project_paths` (one `scandir` walk, each folder's entries sorted by name, the signatures from its entries)
    lists the files in the order and with the resolved paths the full run reads them in (`gather`, Paths sorted by
    parts), with the signatures `_stat` takes; also with a subfolder whose name sorts between files, a file that
    is a link (then every path resolved in full and sorted, signatures left to `_stat`) and from another folder."""
    def listed() -> tuple[dict[str, str], dict[str, incremental.Signature | None] | None]:
        return incremental._project_paths(small, time.time_ns())

    def full_run() -> dict[str, str]:
        return incremental._absolute(pipeline.gather(None, small)[0])

    sub = small.policies / "syn-d1"  # its files come before syn-d1.policy by parts ('/' sorts after '.' in a string)
    sub.mkdir()
    (sub / "a.policy").write_text((small.policies / "syn-d2-t1.policy").read_text(encoding="utf-8"), encoding="utf-8")
    (small.policies / "syn-d2-t1.policy").unlink()
    monkeypatch.setattr(incremental, "RACY_NS", 0)
    paths, sigs = listed()
    assert list(paths.items()) == list(full_run().items())
    assert list(paths).index(os.path.join("policies", "syn-d1", "a.policy")) < list(paths).index(os.path.join("policies", "syn-d1.policy"))
    now = time.time_ns()
    assert sigs is not None and sigs == {s: incremental._stat(p, now) for s, p in paths.items()}
    monkeypatch.setattr(incremental, "RACY_NS", 10**18)  # every file changed "just now": no signature vouches
    assert set(listed()[1].values()) == {None}  # type: ignore[union-attr]
    monkeypatch.chdir(small.policies)  # shown relative to the working folder
    assert list(listed()[0].items()) == list(full_run().items())
    monkeypatch.chdir(small.root)
    if hasattr(os, "symlink"):
        outside = small.root / "elsewhere.policy"
        shutil.move(small.policies / "syn-d1-t2.policy", outside)
        (small.policies / "syn-d1-t2.policy").symlink_to(outside)
        (small.policies / "syn-d1-t3-again.policy").symlink_to(small.policies / "syn-d1-t3.policy")  # the same file twice
        paths, sigs = listed()
        assert sigs is None and list(paths.items()) == list(full_run().items())
        assert os.path.join("policies", "syn-d1-t2.policy") not in paths and "elsewhere.policy" in paths
        assert same(small) == "full" and same(small) == "incremental"


def test_the_files_citing_a_changed_policy_are_those_the_index_maps_to_it():
    """`_citing` (a set test per file, `id_of` only for a reference that is no policy id) finds exactly the files
    whose references, mapped by `PolicyIndex.id_of`, name a changed policy: by id, by its 文号 (any bracket), not
    by another policy's 文号, not by a name the index does not know."""
    from luoshi.semantics.resolve import PolicyIndex, number_key
    from luoshi.syntax.ast import PolicyKind

    index = PolicyIndex(kinds=dict.fromkeys(["city", "d1", "d2", "doc"], PolicyKind.POLICY),
                        numbers={"d1": number_key("渝府办发〔2018〕161号"), "doc": number_key("渝府发〔2019〕2号")})
    refs = {"a": {"city"}, "b": {"d1"}, "c": {"渝府办发[2018]161号"}, "d": {"渝府发〔2019〕2号", "unknown"},
            "e": {"未知〔2018〕9号"}, "f": set(), "g": {"d2", "city"}}
    files = {s: incremental.FileState("", False, refs=frozenset(r)) for s, r in refs.items()}
    for ids in ({"d1"}, {"city"}, {"doc", "d2"}, {"unknown"}, {"未知〔2018〕9号"}, set()):
        expected = {s for s, fs in files.items() if {index.id_of(r) for r in fs.refs} & ids}
        assert incremental._citing(files, ids, index) == expected, ids
    assert incremental._citing(files, {"d1"}, index) == {"b", "c"}
