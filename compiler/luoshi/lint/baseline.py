"""The baseline: findings a project has reviewed and accepted, so CI fails only on new ones.

A finding's fingerprint hashes its code, its file (relative to the project root) and its English message —
which names the policy, task, unit or date concerned but never a line number — so moving text around a file
keeps every fingerprint; identical findings in one file are told apart by their order. The file lists no
line numbers either, so it changes only when findings do.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic
from .config import project_path

FORMAT = "luoshi-lint-baseline"
VERSION = 1


def fingerprints(diags: list[Diagnostic], root: Path) -> list[str]:
    """One fingerprint per diagnostic, in the order given; repeats are numbered in file order, so the result
    does not depend on the order of `diags`."""
    digests = []
    for d in diags:
        path = project_path(d.span.file, root) if d.span else ""
        digests.append(hashlib.sha256(f"{d.code}\n{path}\n{d.en}".encode()).hexdigest()[:16])
    seen: Counter[str] = Counter()
    out = [""] * len(diags)
    for i in sorted(range(len(diags)), key=lambda i: (*diags[i].sort_key(), diags[i].en)):
        seen[digests[i]] += 1
        out[i] = digests[i] if seen[digests[i]] == 1 else f"{digests[i]}-{seen[digests[i]]}"
    return out


class BaselineError(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class Baseline:
    fingerprints: frozenset[str]

    def split(self, diags: list[Diagnostic], root: Path) -> tuple[list[Diagnostic], list[Diagnostic], int]:
        """(new findings, findings already in the baseline, baseline entries no longer found)."""
        prints = fingerprints(diags, root)
        new = [d for d, fp in zip(diags, prints) if fp not in self.fingerprints]
        known = [d for d, fp in zip(diags, prints) if fp in self.fingerprints]
        return new, known, len(self.fingerprints - set(prints))


def read_baseline(path: Path) -> Baseline:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"无法读取基线文件 {path}：{exc.strerror}", f"cannot read the baseline {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise BaselineError(f"基线文件 {path} 不是有效的 JSON：{exc}", f"the baseline {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path} 不是 luoshi lint 的基线文件", f"{path} is not a luoshi lint baseline")
    return Baseline(frozenset(str(f.get("fingerprint")) for f in data["findings"] if isinstance(f, dict)))


def is_baseline(path: Path) -> bool:
    try:
        read_baseline(path)
        return True
    except BaselineError:
        return False


def render_baseline(diags: list[Diagnostic], root: Path) -> bytes:
    entries = [
        {"code": d.code, "file": project_path(d.span.file, root) if d.span else "", "fingerprint": fp, "message": d.zh}
        for d, fp in zip(diags, fingerprints(diags, root))
    ]
    entries.sort(key=lambda e: (e["file"], e["code"], e["fingerprint"]))
    payload = {"format": FORMAT, "version": VERSION,
               "note": "luoshi lint --write-baseline 生成；只有不在此文件中的问题会使检查失败 · only findings not listed here fail the check",
               "findings": entries}
    return (json.dumps(payload, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
