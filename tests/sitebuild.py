"""The docs site of the seed corpus, built once per test session as a user builds it: `luoshi site` into a
temporary site/, then `mkdocs build --strict` with the repository's own mkdocs.yml. Shared by test_site.py and
test_site_browser.py."""

from __future__ import annotations

import atexit
import contextlib
import functools
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from luoshi.cli import app

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class BuiltSite:
    root: Path          # holds mkdocs.yml, site/ and build/site/
    cli_output: str
    cli_exit: int
    mkdocs: subprocess.CompletedProcess

    @property
    def sources(self) -> Path:
        return self.root / "site"

    @property
    def html(self) -> Path:
        return self.root / "build" / "site"


@functools.lru_cache(maxsize=1)
def built_site() -> BuiltSite:
    root = Path(tempfile.mkdtemp(prefix="luoshi-site-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    with contextlib.chdir(ROOT):
        result = CliRunner().invoke(app, ["site", "-o", str(root / "site"), "--lang", "en"])
    mkdocs = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root,
                            capture_output=True, text=True, env=_quiet_env())
    return BuiltSite(root, result.output, result.exit_code, mkdocs)


def _quiet_env() -> dict:
    import os

    env = dict(os.environ)
    env.update(NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
    return env
