"""The implementation chain: which child tasks carry out which parent tasks, and which units are counterparts.

Counterparts (对应单位) are found by role, never by name: a parent unit's counterpart is a unit with the same
`角色` in the child's jurisdiction or below it (市民政局 → 县民政局; 各区县政府 → 各乡镇（街道）, both 下级政府).
The child's issuing units count among its units (see `issuers`). One more reading follows how officials write: a collective of lower governments declared above the child
(各区县政府) includes the child's own government, so the child's 政府 or 政府办公室 (县政府办) answers for it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Corpus, Policy, PolicyKind, Task, TaskKey
from .index import Index, flatten, index, shared

LOWER_GOVERNMENTS = "下级政府"
OWN_GOVERNMENT = ("政府", "政府办公室")


@dataclass(frozen=True, slots=True)
class Link:
    """A child task's `落实 parent:task`, resolved to both tasks. Slotted: a corpus has one per link (40,000 at
    1,000 files), and a `__dict__` each was three quarters of their memory."""

    child: Policy
    task: Task
    parent_policy: Policy
    parent: Task


def links(corpus: Corpus) -> list[Link]:
    """Every resolved task link, in corpus order (shared by the rules: do not mutate)."""
    return shared(corpus, "links", _links)


def _links(corpus: Corpus) -> list[Link]:
    task_of = index(corpus).task
    policy_of: dict[str, Policy | None] = {}
    out: list[Link] = []
    for child in corpus.policies:
        for task in child.tasks:
            for key in task.implements:
                parent = task_of(key)
                if parent is None:
                    continue
                pid = key.policy
                parent_policy = policy_of[pid] if pid in policy_of else policy_of.setdefault(pid, corpus.policy(pid))
                if parent_policy is not None:
                    out.append(Link(child, task, parent_policy, parent))
    return out


def grouped(corpus: Corpus) -> dict[tuple[str, TaskKey], list[Link]]:
    """(child policy id, parent task key) → the child's links to that parent task, in document order (shared)."""
    return shared(corpus, "grouped", _grouped)


def _grouped(corpus: Corpus) -> dict[tuple[str, TaskKey], list[Link]]:
    out: dict[tuple[str, TaskKey], list[Link]] = {}
    for link in links(corpus):
        out.setdefault((link.child.id, link.parent.key), []).append(link)
    return out


def encoded_parents(corpus: Corpus, policy: Policy) -> list[Policy]:
    """The parents a policy declares with a policy-level 落实 that are encoded in full (have tasks)."""
    found = (corpus.policy(pid) for pid in policy.implements)
    return [p for p in found if p is not None and p.kind is PolicyKind.POLICY]


def issuers(policy: Policy) -> list[str]:
    """The units that issued a policy: they organise what their own document assigns, so a notice the 区民政局
    sends to its 各镇街 is led, in effect, by the 区民政局 (the counterpart of the 市民政局 above it)."""
    return [r.unit for ref in policy.issuers for r in flatten(ref)]
def carried(ix: Index, task: Task) -> list[Task]:
    """The task and the sub-tasks that carry it out with it: a sub-task with its own 落实 answers for that link."""
    out = [task]
    for child in ix.children(task):
        if not child.implements:
            out += carried(ix, child)
    return out
