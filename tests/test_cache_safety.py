"""No code from a cache (issue 23): a `.luoshi-cache/` committed to a policy repository, holding pickles whose
`__reduce__` runs the author's code at every place luoshi would look (parsed files, the incremental state of check
and lint, the comply plan), runs nothing on `luoshi check`, `luoshi lint` or the plan's load, and the results are
those of a run without any cache. Entries sealed with another user's key are refused the same way; a key file
that someone else could have written turns the caches off."""

from __future__ import annotations

import os
import pickle
import hashlib
import hmac
import secrets
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from luoshi.driver import cachestore, incremental, pipeline
from luoshi.comply import plancache
from luoshi.comply.checks import compile_plan
from luoshi.lint.config import load_config
from luoshi.driver.project import Project


class Payload:
    """A pickle that, when loaded, creates the folder `marker`: the proof of concept of issue 23."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return os.mkdir, (self.marker,)


@pytest.fixture
def project(scratch_project, tmp_path_factory, monkeypatch) -> Project:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("usercache")))  # this user's key, fresh
    cachestore._key_at.cache_clear()
    yield scratch_project
    cachestore._key_at.cache_clear()


def cache_entries(project: Project) -> list[Path]:
    base = project.root / cachestore.CACHE_DIR
    return [p for p in base.rglob("*") if p.is_file() and p.parent != base and not p.name.startswith(".")]


def outputs(project: Project) -> tuple[str, str, object]:
    config, _ = load_config(project)
    pipeline._PARSED.clear()
    linted = incremental.check_and_lint(None, project, config)
    checked = incremental.check_and_lint(None, project, lint=False)
    plan = plancache.project_plan(project).plan
    return ([d.to_json() for d in linted.lint.diagnostics] + [d.to_json() for d in linted.compilation.diagnostics()],
            [d.to_json() for d in checked.compilation.diagnostics()], plan)


def plant(project: Project, blob_of) -> int:
    """Replace every cache entry by `blob_of(entry path)`; the number replaced."""
    found = cache_entries(project)
    for path in found:
        path.write_bytes(blob_of(path))
    return len(found)


def test_a_committed_malicious_cache_runs_nothing_and_changes_nothing(project, tmp_path):
    clean = outputs(project)
    kinds = {p.relative_to(project.root / cachestore.CACHE_DIR).parts[0] for p in cache_entries(project)}
    assert kinds == {"ast", "incremental", "plan"}  # every cache is filled, so every one is attacked below
    marker = tmp_path / "pwned"
    evil = pickle.dumps(Payload(marker))
    assert plant(project, lambda path: evil) == 3  # the packs of ASTs and of the incremental state, and the plan
    pickle.loads(evil)  # the payload does run when unpickled: the test would see it
    assert marker.is_dir()
    marker.rmdir()
    again = outputs(project)
    assert not marker.exists()
    assert again[:2] == clean[:2] and again[2] == clean[2] == compile_plan(pipeline.compile_paths(None, project).corpus)
    # the planted pack (not an SQLite file) was started again, so the cache works again: the next run is incremental
    config, _ = load_config(project)
    assert incremental.check_and_lint(None, project, config).mode == "incremental"


def test_entries_sealed_with_another_key_are_not_unpickled(project, tmp_path):
    clean = outputs(project)
    marker = tmp_path / "pwned"
    other = secrets.token_bytes(32)  # what a repository's author holds: not this user's key
    base = project.root / cachestore.CACHE_DIR

    def forged(path: Path) -> bytes:
        name = str(path.relative_to(base))
        return cachestore.seal(name, pickle.dumps(Payload(marker)), other)

    plant(project, forged)
    assert outputs(project)[:2] == clean[:2]
    assert not marker.exists()


def test_ast_rows_not_sealed_by_this_key_are_not_read(project, tmp_path):
    """The AST cache's rows (astcache.PACK): payloads sealed with another key, or sealed with none, are misses, so
    the files are parsed again and the results are a clean run's."""
    clean = outputs(project)
    marker = tmp_path / "pwned"
    evil = pickle.dumps(Payload(marker))
    other = secrets.token_bytes(32)
    (pack,) = (project.root / cachestore.CACHE_DIR / "ast").rglob("asts.sqlite")
    db = sqlite3.connect(pack)
    names = [name for (name,) in db.execute("SELECT name FROM entries")]
    assert len(names) == len(pipeline.source_files(project.policies))
    db.executemany("UPDATE entries SET data = ?, mac = ? WHERE name = ?",
                   [(evil, hmac.new(other, n.encode() + b"\0" + evil, hashlib.sha256).digest() if i % 2 else b"", n)
                    for i, n in enumerate(names)])
    db.commit()
    db.close()
    shutil.rmtree(next((project.root / cachestore.CACHE_DIR / "incremental").iterdir()))  # a full run: every AST read
    assert outputs(project)[:2] == clean[:2]
    assert not marker.exists()


def test_pack_rows_not_sealed_by_this_key_are_not_unpickled(project, tmp_path):
    """The incremental state's pack (cachestore.Pack: the registry's units, each file's facts) checks each row's
    seal when it reads it: rows holding payloads, sealed with another key or not at all, are missing entries, so
    the run after an edit is the cold run's and runs nothing."""
    outputs(project)
    marker = tmp_path / "pwned"
    evil = pickle.dumps(Payload(marker))
    other = secrets.token_bytes(32)
    (pack,) = (project.root / cachestore.CACHE_DIR).rglob(incremental.PACK)
    db = sqlite3.connect(pack)
    names = [name for (name,) in db.execute("SELECT name FROM entries")]
    assert "registry" in names and any(n.startswith("u/") for n in names) and any(n.startswith("f/") for n in names)
    assert any(n.startswith("s/lint/r") for n in names) and "s/lint/head" in names  # the state's rows
    forged = [(evil, hmac.new(other, n.encode() + b"\0" + evil, hashlib.sha256).digest(), n) for n in names
              if n != "registry" and not n.startswith("s/")]
    db.executemany("UPDATE entries SET data = ?, mac = ? WHERE name = ?", forged)  # the registry's head stays good
    db.commit()
    db.close()
    policy = next(p for p in sorted(project.policies.rglob("*.policy")))
    policy.write_text(policy.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # dirty: units are looked up
    config, _ = load_config(project)
    incremental.check_and_lint(None, project, config)
    assert "pack entry" in incremental.STATS["fallback"]  # a name table or unit looked up: missing, so the full run
    assert not marker.exists()
    got = outputs(project)
    db = sqlite3.connect(pack)  # now the state's rows: forged, they are missing, so the run is the full run
    names = [name for (name,) in db.execute("SELECT name FROM entries WHERE name LIKE 's/%'")]
    db.executemany("UPDATE entries SET data = ?, mac = ? WHERE name = ?",
                   [(evil, hmac.new(other, n.encode() + b"\0" + evil, hashlib.sha256).digest(), n) for n in names])
    db.commit()
    db.close()
    policy.write_text(policy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert incremental.check_and_lint(None, project, config).mode == "full"
    assert not marker.exists()
    got = outputs(project)
    shutil.rmtree(project.root / cachestore.CACHE_DIR)
    assert outputs(project)[:2] == got[:2]
    assert not marker.exists()


def test_a_fresh_clone_with_a_committed_cache_runs_nothing(project, tmp_path):
    """As the proof of concept: the author fills the cache, replaces it with payloads, commits; a user runs
    `luoshi check` in the clone (another process, this user's key)."""
    outputs(project)
    marker = tmp_path / "pwned"
    plant(project, lambda path: pickle.dumps(Payload(marker)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for command in (["check"], ["lint"]):
        done = subprocess.run([sys.executable, "-m", "luoshi", *command], cwd=project.root, env=env,
                              capture_output=True, text=True)
        assert "Traceback" not in done.stderr
    assert not marker.exists()


def test_the_cache_folder_tells_git_to_ignore_it(project):
    outputs(project)
    base = project.root / cachestore.CACHE_DIR
    assert (base / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    done = subprocess.run(["git", "init", "-q"], cwd=project.root, capture_output=True)
    if done.returncode == 0:
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=project.root,
                                capture_output=True, text=True).stdout
        assert ".luoshi-cache" not in status and "policies/" in status


def test_a_key_others_could_write_turns_the_caches_off(project):
    key_file = cachestore.user_cache_dir() / cachestore.KEY_NAME
    assert cachestore.signing_key() is not None and key_file.stat().st_mode & 0o077 == 0
    cachestore._key_at.cache_clear()
    key_file.chmod(0o666)
    assert cachestore.signing_key() is None
    outputs(project)
    assert cache_entries(project) == []  # no key to trust: nothing cached, nothing read


@pytest.mark.parametrize("linked", ["ast", "incremental", "plan", "salt"])
def test_a_committed_link_in_the_cache_deletes_nothing_it_points_at(project, tmp_path, linked):
    """A repository can commit symbolic links: `.luoshi-cache/ast` pointing at the user's home made the AST cache's
    `prune_salts` remove every folder there but its own salt's (a 'folder of another salt'), and `plan` pointing
    at a folder made the plan's `keep_only` delete its files. A cache folder reached through a link is off; the
    results are a run's without the cache, and what the link points at is untouched."""
    clean = outputs(project)
    base = project.root / cachestore.CACHE_DIR
    victim = tmp_path / "home"
    (victim / "照片").mkdir(parents=True)
    (victim / "照片" / "a.txt").write_text("precious", encoding="utf-8")
    (victim / "notes.txt").write_text("precious", encoding="utf-8")
    if linked == "salt":  # one level down: the salt's own folder of the AST cache
        (folder,) = [p for p in (base / "ast").iterdir() if p.is_dir()]
        shutil.rmtree(folder)
        folder.symlink_to(victim, target_is_directory=True)
    else:
        shutil.rmtree(base / linked)
        (base / linked).symlink_to(victim, target_is_directory=True)
    shutil.rmtree(base / "replay", ignore_errors=True)
    if linked != "incremental":
        shutil.rmtree(base / "incremental")  # a full run, which reads and prunes the AST cache
    again = outputs(project)
    assert again[:2] == clean[:2] and again[2] == clean[2]
    assert sorted(p.relative_to(victim).as_posix() for p in victim.rglob("*")) == ["notes.txt", "照片", "照片/a.txt"]
