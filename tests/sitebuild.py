"""The docs site of the seed corpus, built once per test session as a user builds it: `luoshi comply` over the
test completion data (a JSON report and the 督查 workbook beside it), `luoshi site` with that report into a
temporary site/, then `mkdocs build --strict` with the repository's own mkdocs.yml. Shared by test_site.py,
test_site_browser.py and test_reproducible.py."""

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
COMPLETION = ROOT / "tests" / "fixtures" / "comply" / "reports.csv"   # completion data the units reported
AS_OF = "2020-12-31"


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
    report, workbook = root / "reports" / "compliance-report.json", root / "reports" / "督查报告.xlsx"
    report.parent.mkdir()
    with contextlib.chdir(ROOT):
        for fmt, out in (("json", report), ("xlsx", workbook)):  # the last compliance check, as a user makes it
            checked = CliRunner().invoke(app, ["comply", str(COMPLETION), "--as-of", AS_OF, "--format", fmt, "-o", str(out)])
            assert out.is_file(), checked.output
        result = CliRunner().invoke(app, ["site", "-o", str(root / "site"), "--lang", "en", "--compliance", str(report)])
    mkdocs = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root,
                            capture_output=True, text=True, env=_quiet_env())
    return BuiltSite(root, result.output, result.exit_code, mkdocs)


def _quiet_env() -> dict:
    import os

    env = dict(os.environ)
    env.update(NO_MKDOCS_2_WARNING="1", NO_COLOR="1")
    return env
