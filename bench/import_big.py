"""How does `luoshi import` scale with the document? Size → CPU seconds and peak RSS, one fresh process an input.

    python bench/import_big.py                 # every input below, written under /tmp/luoshi-import-big
    python bench/import_big.py dev-5m flat-5k  # some of them
    python bench/import_big.py --dir DIR       # write the inputs elsewhere

The inputs: the twenty import-dev documents (tests/fixtures/import/dev/) concatenated and cut to 20 KB … 5 MB;
a 分工表 annex (序号/重点任务/责任单位/完成时限) of 5,000 rows as a tab table (.txt), an HTML table and a docx
table, and flattened one cell a line (the shape of a PDF's or a web page's text); a 38,000-row tab table (5 MB);
one 2 MB line without a newline. Each is imported by `luoshi import FILE -o OUT --force` in a child process under
/usr/bin/time, so the figures include start-up (~2 s: the corpus is compiled first) and are what a user waits.
"""

from __future__ import annotations

import argparse
import functools
import html
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEV = ROOT / "tests" / "fixtures" / "import" / "dev"
HEADER = ("序号", "重点任务", "责任单位", "完成时限")
UNITS = ("区发展改革委", "区财政局", "区民政局", "区住房城乡建设委", "区交通委", "区卫生健康委", "区教育局", "各街镇")
TITLE = ["某区关于推进重点工作任务的实施方案", "", "附件", "", "重点任务分工表", ""]


def _dev_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt")))


def _cut(text: str, size: int) -> str:
    """The text repeated to `size` bytes, cut at a character boundary."""
    data = "\n".join([text] * (size // len(text.encode()) + 1)).encode()[:size]
    return data.decode("utf-8", "ignore")


def _cut_dev(size: int) -> str:
    return _cut(_dev_text(), size)


def _rows(n: int) -> list[tuple[str, str, str, str]]:
    return [(str(i), f"推进第{i}项重点任务，完善相关工作机制，确保按期完成", f"{UNITS[i % 8]}、{UNITS[i * 3 % 8]}",
             f"2025年{i % 12 + 1}月底前") for i in range(1, n + 1)]


def _tabbed(n: int) -> str:
    return "\n".join(TITLE + ["\t".join(HEADER)] + ["\t".join(r) for r in _rows(n)]) + "\n"


def _flat(n: int) -> str:
    return "\n".join(TITLE + list(HEADER) + [c for r in _rows(n) for c in r]) + "\n"


def _html(n: int) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in _rows(n))
    head = "".join(f"<th>{c}</th>" for c in HEADER)
    return (f"<html><body><h1>{TITLE[0]}</h1><p>附件</p><p>重点任务分工表</p><table><tr>{head}</tr>{cells}</table>"
            "</body></html>\n")


def _docx(n: int, path: Path) -> None:
    import docx  # python-docx, a dependency of the importer

    document = docx.Document()
    for text in (TITLE[0], "附件", "重点任务分工表"):
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, HEADER):
        cell.text = text
    for row in _rows(n):
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    document.save(str(path))


def inputs() -> dict[str, tuple[str, Callable[[Path], None]]]:
    """name → (suffix, writer): built on demand, so a run of some inputs builds only those."""
    def text(make: Callable[[], str]) -> Callable[[Path], None]:
        def write(path: Path) -> None:
            path.write_text(make(), encoding="utf-8")
        return write

    out: dict[str, tuple[str, Callable[[Path], None]]] = {}
    for name, size in (("dev-20k", 20_000), ("dev-200k", 200_000), ("dev-1m", 2**20), ("dev-2m", 2 * 2**20),
                       ("dev-5m", 5 * 2**20)):
        out[name] = (".txt", text(functools.partial(_cut_dev, size)))
    out["annex-5k"] = (".txt", text(lambda: _tabbed(5000)))
    out["annex-5k-html"] = (".html", text(lambda: _html(5000)))
    out["annex-5k-docx"] = (".docx", lambda path: _docx(5000, path))
    out["flat-5k"] = (".txt", text(lambda: _flat(5000)))
    out["annex-38k"] = (".txt", text(lambda: _tabbed(38000)))
    out["oneline-2m"] = (".txt", text(lambda: _cut(_dev_text().replace("\n", ""), 2 * 2**20)))
    return out


def measure(path: Path) -> tuple[float, int, int]:
    """(CPU s, peak RSS MB, exit code) of one `luoshi import` of path in a fresh process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "compiler"))
    out = path.with_suffix(".policy")
    proc = subprocess.run(["/usr/bin/time", "-f", "TIME %U %S %M", sys.executable, "-m", "luoshi", "import", str(path),
                           "-o", str(out), "--force"], cwd=ROOT, env=env, capture_output=True, text=True)
    m = re.search(r"TIME ([\d.]+) ([\d.]+) (\d+)", proc.stderr)
    if m is None:
        raise SystemExit(f"no /usr/bin/time figures for {path}: {proc.stderr[-500:]}")
    return float(m[1]) + float(m[2]), int(m[3]) // 1024, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/luoshi-import-big"))
    args = parser.parse_args()
    table = inputs()
    names = args.names or list(table)
    unknown = [n for n in names if n not in table]
    if unknown:
        raise SystemExit(f"unknown inputs {unknown}: {' '.join(table)}")
    args.dir.mkdir(parents=True, exist_ok=True)
    print(f"{'input':<15} {'size':>9} {'CPU s':>7} {'peak RSS':>9}  exit")
    for name in names:
        suffix, write = table[name]
        path = args.dir / f"{name}{suffix}"
        if not path.exists():
            write(path)
        cpu, rss, code = measure(path)
        print(f"{name:<15} {path.stat().st_size / 2**20:>7.2f}MB {cpu:>7.2f} {rss:>6} MB  {code}", flush=True)


if __name__ == "__main__":
    main()
