"""Where each page of the site lives, and relative links between them.

Paths are Markdown sources relative to `site/` (mkdocs turns `units/云阳县/县民政局.md` into
`units/云阳县/县民政局.html`). Policy ids are ASCII; unit and jurisdiction names keep their Chinese characters,
with the few characters a path or a Markdown link cannot hold replaced.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from functools import lru_cache

from markupsafe import Markup

from ..model import Task, TaskKey, Unit

_UNSAFE = re.compile(r'[\\/:*?"<>|#%&{}()\[\]\s`!^~\']')


def slug(name: str) -> str:
    """A file-name part safe in a path, a URL and a Markdown link target."""
    return _UNSAFE.sub("_", name).strip(" ._") or "_"


def distinct_slug(name: str) -> str:
    """`slug`, made one-to-one: a name it changed gets eight hex digits of a hash of itself, so units `a/b` and
    `a_b`, or `index` and `index_`, never share a page (one was silently lost)."""
    s = slug(name)
    return s if s == name else f"{s}-{hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def policy_page(policy_id: str) -> str:
    return f"policies/{slug(policy_id)}.md"


def task_page(key: TaskKey | Task) -> str:
    key = key.key if isinstance(key, Task) else key
    return f"tasks/{slug(key.policy)}/{distinct_slug(key.task)}.md"


def _not_index(name: str) -> str:
    """A file name that is not a folder's index page: `index_` cannot be a slug (slug strips a trailing _)."""
    return "index_" if name == "index" else name


def unit_page(unit: Unit | str) -> str:
    """By unit id (`云阳县/县民政局`) or Unit."""
    uid = unit.id if isinstance(unit, Unit) else unit
    jurisdiction, _, name = uid.partition("/")
    return f"units/{distinct_slug(jurisdiction)}/{_not_index(distinct_slug(name))}.md"


def jurisdiction_page(jurisdiction: str) -> str:
    """A jurisdiction's units, policies and sub-jurisdictions, beside its units' pages: units/云阳县/index.md."""
    return f"units/{distinct_slug(jurisdiction)}/index.md"


def role_page(role: str) -> str:
    """Every unit of one counterpart role (民政), by level and jurisdiction: roles/民政.md."""
    return f"roles/{_not_index(distinct_slug(role))}.md"


def matrix_page(policy_id: str) -> str:
    """One policy's responsibility matrix (units × tasks): matrix/<policy>.md, listed by matrix.md."""
    return f"matrix/{slug(policy_id)}.md"


def diff_page(child: str, parent: str) -> str:
    return f"diffs/{slug(child)}--{slug(parent)}.md"


def relative(here: str, target: str) -> Markup:
    """The link from page `here` to page or file `target` (both relative to site/), e.g. ../units/云阳县/县民政局.md."""
    anchor = ""
    if "#" in target:
        target, anchor = target.split("#", 1)
        anchor = "#" + anchor
    link = _relpath(target, posixpath.dirname(here) or ".") if target else ""
    return Markup(link + anchor)


@lru_cache(maxsize=65536)
def _parts(path: str) -> tuple[str, ...]:
    return tuple(p for p in path.split("/") if p not in ("", "."))


def _relpath(target: str, start: str) -> str:
    """posixpath.relpath for the site's own relative paths, without its two abspath() calls per link (a site
    makes a link per unit, task and duty on some page: hundreds of thousands at the 1k corpus)."""
    if target.startswith("/") or start.startswith("/") or ".." in target or ".." in start:
        return posixpath.relpath(target, start)
    t, s = _parts(target), _parts(start)
    common = 0
    while common < min(len(t), len(s)) and t[common] == s[common]:
        common += 1
    return "/".join((("..",) * (len(s) - common)) + t[common:]) or "."
