"""The project's compliance plan, kept between runs of `luoshi comply`: compiling 1,000 policy files and their plan
takes ~2.6 s of CPU, loading the kept plan ~0.3 s.

The plan is stored in `.luoshi-cache/plan/<key>.pickle` beside the project's pyproject.toml, sealed as every luoshi
cache entry is (cachestore.py: an entry this user's key did not seal is never unpickled), under a key that hashes
everything it is compiled from: the text of every policy and registry file with the path it is shown under (spans
name it), the working directory, the project's settings file, and a salt of luoshi's own code (the contents of the
package) and the versions of Python, pydantic, lark and chinesecalendar (working days decide some due dates). Any
change to any of them is another key: the corpus is compiled again and the new plan replaces the old. A corpus
with errors is never stored: `project_plan` returns its compilation (the diagnostics) and no plan, and the command
shows them and stops.

An entry that cannot be read is ignored (and rewritten); a cache folder that cannot be written is not an error.
`LUOSHI_NO_CACHE=1` turns the cache off, as it does the parse cache.

The entry is written by `PlanPickler`: each plan model as its class, its field values in field order and its set of
given fields (one shared set per distinct set), rebuilt without validation, as `astcache.make_span` rebuilds spans.
Pydantic's own pickling stores a state dict, a fields-set and two empty slots per object and sets four attributes
through a Python `__setstate__`: at 1k files (~100,000 models) the entry was 20 MB and took 0.33 s to unpickle,
packed it is 10 MB and 0.24 s.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..driver import perf
from ..driver.cachestore import Store, code_salt, enabled
from ..driver.listing import display_path, source_files
from ..driver.project import Project, find_project
from .plan import Assigned, Check, Frozen, JurisdictionEntry, Plan, PolicyEntry, TaskEntry, UnitEntry

if TYPE_CHECKING:
    from ..driver.pipeline import Compilation

_LIBRARIES = ("pydantic", "lark", "chinesecalendar")


_MODELS = (Plan, PolicyEntry, UnitEntry, JurisdictionEntry, Assigned, TaskEntry, Check)
_FIELDS: dict[type[Frozen], tuple[str, ...]] = {cls: tuple(cls.model_fields) for cls in _MODELS}
_new, _set = object.__new__, object.__setattr__


def _rebuild(cls: type[Frozen], values: tuple[Any, ...], given: set[str]) -> Frozen:
    """A plan model from its field values (in `model_fields` order) without validation: they were validated when
    the plan was compiled. `given` is shared by every model that was given the same fields (pydantic's
    `model_copy(update=…)` copies it before adding to it)."""
    obj = _new(cls)
    _set(obj, "__dict__", dict(zip(_FIELDS[cls], values)))
    _set(obj, "__pydantic_fields_set__", given)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


class PlanPickler(pickle.Pickler):
    """Plan models reduced to `_rebuild` and their values; anything else pickled as usual."""

    def __init__(self, file: Any) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._given: dict[frozenset[str], set[str]] = {}

    def reducer_override(self, obj: object) -> tuple[Callable[..., Frozen], tuple[Any, ...]]:
        cls = type(obj)
        if cls in _FIELDS and isinstance(obj, Frozen):
            names, values = _FIELDS[cls], obj.__dict__
            if len(values) == len(names) and obj.__pydantic_extra__ is None and obj.__pydantic_private__ is None:
                given = obj.__pydantic_fields_set__
                shared = self._given.setdefault(frozenset(given), set(given))
                return _rebuild, (cls, tuple(values[n] for n in names), shared)
        return NotImplemented  # type: ignore[no-any-return]  # pickle's "reduce as usual"; typeshed types it Any


def salt() -> str:
    """luoshi's code (the package's contents) and the libraries the plan depends on."""
    return code_salt(_LIBRARIES)


def plan_key(project: Project) -> str:
    """The hash of everything `compile_plan(compile_paths(None).corpus)` reads in this project and directory."""
    h = hashlib.sha256()
    h.update(salt().encode() + b"\0" + str(Path.cwd()).encode("utf-8", "surrogateescape") + b"\0")
    settings = project.root / "pyproject.toml"
    h.update(settings.read_bytes() if settings.is_file() else b"-")
    files = source_files(project.policies) if project.policies.is_dir() else []  # what `compile_paths(None)` reads
    for path in sorted({p.resolve() for p in files}):
        h.update(b"\0" + display_path(path).encode("utf-8", "surrogateescape") + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"\1unreadable")
    return h.hexdigest()


@dataclass
class PlanResult:
    """The plan, or None when the corpus has errors; `compilation` when the corpus was compiled in this run (its
    diagnostics are for the caller to show: this layer prints nothing)."""

    plan: Plan | None
    compilation: Compilation | None = None


def project_plan(project: Project | None = None) -> PlanResult:
    """The plan of the project's corpus: the kept one when nothing it depends on changed, else compiled and kept
    (unless the corpus has errors)."""
    project = project or find_project()
    if not enabled():
        return _compiled(project, None, "")
    store = Store(project.cache_root, "plan")
    entry = f"{plan_key(project)}.pickle"
    with perf.gc_paused():  # ~150,000 objects at 1k files: the collector would re-scan them while they load
        plan = store.load(entry)
    if isinstance(plan, Plan):
        return PlanResult(plan)
    return _compiled(project, store, entry)


def _compiled(project: Project, store: Store | None, entry: str) -> PlanResult:
    from ..driver.pipeline import load_clean  # the compiler's stages: only when the plan is compiled again
    from .checks import compile_plan

    corpus, comp = load_clean(project)
    if corpus is None:
        return PlanResult(None, comp)
    plan = compile_plan(corpus)
    if store is not None and store.dump(entry, plan, PlanPickler):
        store.keep_only(entry)  # one plan per project: the others are of older corpora or code
    return PlanResult(plan, comp)
