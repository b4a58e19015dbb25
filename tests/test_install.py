"""A non-editable install behaves exactly like the editable one (issue 18): the repository `pip install`ed as a
wheel into a fresh virtual environment (with the system's site packages for the dependencies), run from another
directory with `--project`, builds the seed corpus into a tree byte-identical to the one this checkout builds (the
session's `seed_build`, conftest.py: the wheel runs in its hash seed and time zone, with the cache on). What it catches: data files (grammar, templates, the division data) missing from the wheel, paths computed from
the source tree, a cache or an output written relative to the working directory."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT, SEED_BUILD_ENV


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_wheel_install_builds_the_seed_corpus_byte_identically(tmp_path, seed_build):
    pytest.importorskip("hatchling", reason="the wheel is built without network: pip install hatchling")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LUOSHI_PROJECT", "VIRTUAL_ENV")}
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                              "--no-build-isolation", "--no-index", "-q", str(ROOT)],
                             capture_output=True, text=True, env=clean, timeout=600)
    assert install.returncode == 0, install.stderr
    where = subprocess.run([str(python), "-c", "import luoshi; print(luoshi.__file__)"], capture_output=True,
                           text=True, env=clean, cwd=tmp_path, check=True).stdout.strip()
    assert Path(where).is_relative_to(env_dir), where  # the wheel's copy, not a source tree
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**clean, "PYTHONHASHSEED": SEED_BUILD_ENV["PYTHONHASHSEED"], "TZ": SEED_BUILD_ENV["TZ"]}
    env.pop("LUOSHI_NO_CACHE", None)  # the cache on: nothing of it may land in the working folder
    env.pop("SOURCE_DATE_EPOCH", None)
    wheel = subprocess.run([str(env_dir / "bin" / "luoshi"), "--project", str(ROOT), "build", "-o",
                            str(tmp_path / "wheel-build")], capture_output=True, text=True, env=env, cwd=elsewhere,
                           timeout=900)
    assert wheel.returncode == 0, wheel.stderr
    a, b = tree(tmp_path / "wheel-build"), tree(seed_build)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    assert not (elsewhere / ".luoshi-cache").exists() and list(elsewhere.iterdir()) == []
