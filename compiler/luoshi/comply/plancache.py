"""The project's compliance plan, kept between runs of `luoshi comply`: compiling 1,000 policy files and their plan
takes ~2.6 s of CPU, loading the kept plan ~0.3 s.

The plan is stored in `.luoshi-cache/plan/<key>.pickle` beside the project's pyproject.toml, under a key that hashes
everything it is compiled from: the text of every policy and registry file with the path it is shown under (spans
name it), the working directory, the project's settings file, and a salt of luoshi's own code (every file of the
package) and the versions of Python, pydantic, lark and chinesecalendar (working days decide some due dates). Any
change to any of them is another key: the corpus is compiled again and the new plan replaces the old. A corpus
with errors is never stored, so a run over it always compiles, shows the errors and stops, as before.

An entry that cannot be read is ignored (and rewritten); a cache folder that cannot be written is not an error.
`LUOSHI_NO_CACHE=1` turns the cache off, as it does the parse cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from .. import perf
from ..cache import CACHE_DIR, code_salt
from ..pipeline import display_path, source_files
from ..project import Project, find_project
from .plan import Plan

_LIBRARIES = ("pydantic", "lark", "chinesecalendar")


def salt() -> str:
    """luoshi's code (every file of the package) and the libraries the plan depends on."""
    package = Path(__file__).resolve().parents[1]
    files = (p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return code_salt(files, _LIBRARIES)


def plan_key(project: Project) -> str:
    """The hash of everything `compile_plan(compile_paths(None).corpus)` reads in this project and directory."""
    h = hashlib.sha256()
    h.update(salt().encode() + b"\0" + str(Path.cwd()).encode("utf-8") + b"\0")
    settings = project.root / "pyproject.toml"
    h.update(settings.read_bytes() if settings.is_file() else b"-")
    files = source_files(project.policies) if project.policies.is_dir() else []  # what `compile_paths(None)` reads
    for path in sorted({p.resolve() for p in files}):
        h.update(b"\0" + display_path(path).encode("utf-8") + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"\1unreadable")
    return h.hexdigest()


def project_plan(lang: str = "both", project: Project | None = None) -> Plan:
    """The plan of the project's corpus: the kept one when nothing it depends on changed, else compiled (stopping
    with the corpus's errors, as `load_corpus` does) and kept."""
    from ..commands._corpus import load_corpus
    from .checks import compile_plan

    project = project or find_project()
    if os.environ.get("LUOSHI_NO_CACHE", "") not in ("", "0"):
        return compile_plan(load_corpus(lang))
    folder = project.cache_root / CACHE_DIR / "plan"
    key = plan_key(project)
    entry = folder / f"{key}.pickle"
    try:
        with perf.gc_paused():  # ~150,000 objects at 1k files: the collector would re-scan them while they load
            plan = pickle.loads(entry.read_bytes())
        if isinstance(plan, Plan):
            return plan
    except Exception:  # noqa: BLE001 — a missing, truncated or foreign entry only means compiling again
        pass
    plan = compile_plan(load_corpus(lang))
    _store(project.cache_root / CACHE_DIR, folder, entry, plan)
    return plan


def _store(base: Path, folder: Path, entry: Path, plan: Plan) -> None:
    try:
        if not base.exists():
            base.mkdir(parents=True)
            (base / ".gitignore").write_text("# made by luoshi: a cache, never commit it\n*\n", encoding="utf-8")
            (base / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n# luoshi cache\n")
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as out:
            pickle.dump(plan, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)  # atomic: a reader sees the old entry, the new one, or none
        for other in folder.iterdir():  # one plan per project: the others are of older corpora or code
            if other != entry:
                other.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only checkout: run without the cache
