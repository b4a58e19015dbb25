"""`luoshi import` on documents from other cities and provinces, read as the official who edits the draft would.

    python bench/import_wild.py            # one row per document of tests/fixtures/import-wild/
    python bench/import_wild.py --show     # with each draft and every finding of `luoshi check` on it

There is no hand-encoded truth for these documents: the table counts what a reviewer looks at first (measures,
measures left without a unit, 牵头 / 配合 pairs, deadlines, targets, 待定 lines) and whether the draft, with its
proposed registry entries, checks with nothing but LS230 (待定) warnings. Each document is imported into a copy
of the project's policies/ (its registry holds Chongqing, Shanghai and the State Council; the cities here are
reached only through the division data and the proposals the importer writes), timed on its own.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "compiler"))

from luoshi.driver.pipeline import compile_paths  # noqa: E402
from luoshi.driver.project import Project  # noqa: E402
from luoshi.importer import ReadError, import_path  # noqa: E402

WILD = REPO / "tests" / "fixtures" / "import-wild"
SUFFIXES = (".txt", ".html", ".docx", ".pdf", ".xlsx", ".xls")


def documents() -> list[Path]:
    """The fixtures that are documents (SOURCES.md and the .docx generator are not)."""
    return sorted(p for p in WILD.iterdir() if p.suffix in SUFFIXES)


def check(project: Project, name: str, policy_text: str, units_text: str | None) -> list[str]:
    """`luoshi check` on the draft and its proposed units beside the project's files: every finding, as text."""
    path = project.policies / f"{name}.policy"
    path.write_text(policy_text, encoding="utf-8")
    targets = [str(path)]
    if units_text:
        units = project.policies / "units" / f"{name}.units"
        units.write_text(units_text, encoding="utf-8")
        targets.append(str(units))
    comp = compile_paths(targets, project)
    path.unlink()
    if units_text:
        (project.policies / "units" / f"{name}.units").unlink()
    return [f"{d.code} {d.span}: {d.zh}" for d in comp.diagnostics()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="print each draft and the findings of check on it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "policies"
        shutil.copytree(REPO / "policies", folder)
        project = Project(Path(tmp), folder, Path(tmp) / "build")
        corpus = compile_paths(None, project).corpus
        print("| doc | import | s | measures | no unit | 牵头 | 配合 | 负责 | deadlines | targets | 待定 | check (not LS230) |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for path in documents():
            started = time.perf_counter()
            try:
                imported = import_path(path, corpus)
            except ReadError as exc:
                print(f"| {path.name} | {exc.code} | {time.perf_counter() - started:.1f} | | | | | | | | | |")
                continue
            seconds = time.perf_counter() - started
            items = [i for i in imported.result.policy.items() if i.kind in ("task", "phase")]
            count = {"lead": 0, "cooperate": 0, "responsible": 0}
            for item in items:
                for role in count:
                    count[role] += len(getattr(item, role))
            bare = sum(1 for i in items if not (i.lead or i.cooperate or i.responsible))
            deadlines = sum(len(i.deadlines) for i in items)
            targets = sum(len(i.targets) for i in items)
            todos = sum(1 for line in imported.policy_text.splitlines() if line.strip().startswith("待定 "))
            found = check(project, path.stem.replace(".", "-"), imported.policy_text, imported.units_text)
            others = [f for f in found if not f.startswith("LS230")]
            print(f"| {path.name} | ok | {seconds:.1f} | {len(items)} | {bare} | {count['lead']} | {count['cooperate']} | "
                  f"{count['responsible']} | {deadlines} | {targets} | {todos} | {len(others) or 'clean'} |")
            if args.show:
                print(imported.policy_text)
                if imported.units_text:
                    print(imported.units_text)
                for finding in others:
                    print("   ", finding)


if __name__ == "__main__":
    main()
