"""Hypothesis strategies for what users feed luoshi: DSL files (arbitrary, token soup, and the seed corpus mutated
the way hands and editors damage files) and completion data (CSV bytes and xlsx workbooks, arbitrary and mutated).

Mutations are drawn as integers, so hypothesis shrinks a failure to the fewest, smallest edits of a seed file."""

from __future__ import annotations

import codecs
import datetime as dt
import io
from pathlib import Path

from hypothesis import strategies as st

from .harness import COMPLY_FIXTURES, POLICIES, seed_files

# ───────────── DSL ─────────────

SEEDS: dict[str, str] = {str(p.relative_to(POLICIES)): p.read_text(encoding="utf-8") for p in seed_files()}
KEYWORDS = ["政策", "文件", "文号", "标题", "发文机关", "成文日期", "辖区", "层级", "主送", "抄送", "落实", "引用",
            "不予落实", "原文", "备注", "待定", "部分", "任务组", "任务", "条款", "阶段", "牵头", "负责", "配合", "时限",
            "期限", "目标", "截至", "范围", "每", "条件", "基准", "清零", "持续", "从", "到", "至", "不超过", "内", "前",
            "次", "类型", "上级", "别名", "单位", "群组", "集体", "角色", "成员", "隶属", "年", "月", "日", "底", "每年",
            "每半年", "达到", "≥", "≤", "=", "提高", "policy", "task", "lead", "deadline", "target", "unit"]
PIECES = ["{", "}", '"', '"""', "、", "，", ",", "（", "）", "(", ")", ":", "：", "\\", "\n", " ", "\t", "#", "//",
          "2019年3月底", "2019-03-31", "2018—2020年", "40%", "3个工作日", "1.2.3", "2.2", "0", "99999999999999999999",
          "yfbf-2018-161", "yfbf-2018-161:2.2", "市民政局", "县民政局", "各乡镇（街道）", "重庆市", "云阳县",
          "区联席会议其他成员单位", '"各乡镇、街道"', '"未闭合', '"""多行\n文本"""', "\ufeff", "\u3000", "\u2028",
          "\x00", "\x0c", "\r", "\r\n", "＂", "“", "”", "｛", "｝", "．", "２０１９", "％", "—", "~", "～", "\ud7ff",
          "𠀀", "e\u0301", "ﬁ", "Ⅻ", "①"]
# Full-width ↔ half-width pairs officials mix (an IME left in the wrong mode).
WIDTH_SWAPS = {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", '"': "＂", "{": "｛", "}": "｝", " ": "\u3000",
               "%": "％", ".": "．", "-": "－", "0": "０", "1": "１", "2": "２", "9": "９"}
WIDTH_SWAPS.update({v: k for k, v in list(WIDTH_SWAPS.items())})


def _token() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(KEYWORDS), st.sampled_from(PIECES), st.text(max_size=6))


@st.composite
def mutated_text(draw, text: str, max_edits: int = 6) -> str:
    """A seed text after a few edits: deletions, insertions of tokens, duplicated or moved spans, width swaps,
    truncation — what a careless edit, a bad merge or an IME does to a file."""
    for _ in range(draw(st.integers(1, max_edits))):
        n = len(text)
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "move", "width", "truncate", "lines"]))
        a = draw(st.integers(0, n))
        b = min(n, a + draw(st.integers(0, 80)))
        if op == "delete":
            text = text[:a] + text[b:]
        elif op == "insert":
            text = text[:a] + draw(_token()) + text[a:]
        elif op == "duplicate":
            at = draw(st.integers(0, n))
            text = text[:at] + text[a:b] + text[at:]
        elif op == "move":
            piece, rest = text[a:b], text[:a] + text[b:]
            at = draw(st.integers(0, len(rest)))
            text = rest[:at] + piece + rest[at:]
        elif op == "width":
            text = text[:a] + "".join(WIDTH_SWAPS.get(c, c) for c in text[a:b]) + text[b:]
        elif op == "truncate":
            text = text[:a]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


def mutated_seed(max_edits: int = 6) -> st.SearchStrategy[tuple[str, str]]:
    """(seed file name, mutated text) for any file of the seed corpus."""
    return st.sampled_from(sorted(SEEDS)).flatmap(
        lambda name: mutated_text(SEEDS[name], max_edits).map(lambda text: (name, text)))


def token_soup(max_size: int = 60) -> st.SearchStrategy[str]:
    """Keywords, punctuation and names in random order, mostly inside a policy header so the parser goes deep."""
    soup = st.lists(_token(), max_size=max_size).map(" ".join)
    return st.one_of(soup, soup.map(lambda s: f"政策 fuzz-1 {{ 辖区 云阳县 {s} }}"),
                     soup.map(lambda s: f'政策 fuzz-1 {{ 辖区 云阳县 任务 1 "甲" {{ {s} }} }}'))


def arbitrary_text(max_size: int = 400) -> st.SearchStrategy[str]:
    pieces = st.lists(st.one_of(st.characters(), st.sampled_from(PIECES)), max_size=max_size // 4)
    return st.one_of(st.text(max_size=max_size), pieces.map("".join))


@st.composite
def as_bytes(draw, text: str) -> bytes:
    """Text as a file on disk: UTF-8 mostly, sometimes with a BOM, in GB18030 or UTF-16, or with damaged bytes."""
    how = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "bom", "gb18030", "utf-16", "damage"]))
    if how == "bom":
        return codecs.BOM_UTF8 + text.encode("utf-8", "surrogatepass")
    if how in ("gb18030", "utf-16"):
        return text.encode(how, "replace")
    data = bytearray(text.encode("utf-8", "surrogatepass"))
    if how == "damage" and data:
        for _ in range(draw(st.integers(1, 4))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


# ───────────── completion data ─────────────

DATA_SEEDS: dict[str, bytes] = {p.name: p.read_bytes() for p in sorted(COMPLY_FIXTURES.glob("*.csv"))}
HEADERS = ["政策", "任务", "单位", "范围", "状态", "日期", "指标", "数值", "备注", "案件", "事件", "policy", "task", "unit",
           "date", "status", "政策 policy", "日期（date）", "完成日期", "", "  ", "=A1", "数值", "Unnamed: 3"]
CELLS = ["云阳府办发〔2019〕22号", "渝府办发〔2018〕161号", "4.1", "2.2.2", "各乡镇（街道）", "县民政局", "已完成", "进行中",
         "2019-03-31", "2019/4/2", "2019年3月28日", "20190325", "43555", "2019-02-30", "40%", "0.42", "四十", "-1",
         "1e308", "nan", "inf", "=1+1", "@SUM(A1)", "+1", "-1", "\t", "\r", "'", '"', '""', ",", "\n", "\x00", "\ufeff",
         "C2024-0000043", "发现、受理", "发放临时救助金", "失能特困人员集中供养率", "青龙街道", "", " ", "null", "NULL",
         "甲" * 140_000]  # one cell longer than the csv module's default field limit (128 KiB)


def _cell() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(CELLS), st.text(max_size=12))


@st.composite
def csv_text(draw) -> str:
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=10))
    rows = draw(st.lists(st.lists(_cell(), max_size=12), max_size=12))
    sep = draw(st.sampled_from([",", "\t", ";"]))
    quote = draw(st.booleans())

    def line(cells):
        return sep.join('"' + c.replace('"', '""') + '"' if quote else c for c in cells)
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return newline.join(line(r) for r in [headers, *rows])


@st.composite
def csv_bytes(draw) -> bytes:
    """A CSV file: made up, or a fixture mutated (bytes deleted, duplicated, replaced, re-encoded)."""
    if draw(st.booleans()):
        text = draw(csv_text())
        return draw(as_bytes(text))
    data = bytearray(DATA_SEEDS[draw(st.sampled_from(sorted(DATA_SEEDS)))])
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "replace", "truncate", "recode"]))
        a = draw(st.integers(0, len(data)))
        b = min(len(data), a + draw(st.integers(0, 40)))
        if op == "delete":
            del data[a:b]
        elif op == "insert":
            data[a:a] = draw(st.one_of(st.binary(max_size=8), st.sampled_from(CELLS).map(lambda c: c.encode("utf-8"))))
        elif op == "duplicate":
            data[a:a] = data[a:b]
        elif op == "replace" and data:
            data[min(a, len(data) - 1)] = draw(st.integers(0, 255))
        elif op == "truncate":
            del data[a:]
        elif op == "recode":
            try:
                data = bytearray(bytes(data).decode("utf-8").encode(draw(st.sampled_from(["gb18030", "utf-16", "utf-8-sig"]))))
            except UnicodeError:
                pass
    return bytes(data)


def _xlsx_value() -> st.SearchStrategy[object]:
    return st.one_of(
        _cell(), st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=False),
        st.booleans(), st.dates(dt.date(1900, 3, 1), dt.date(2100, 12, 31)),
        st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 12, 31)),
        st.sampled_from([43555, 43555.5, 1.0, 0, 2958465]),  # Excel dates as serial numbers
    )


@st.composite
def xlsx_bytes(draw) -> bytes:
    """An xlsx workbook: sheets with made-up headers and cells of every type (serial dates, merged header cells,
    empty sheets, formulas as text), sometimes with its zip damaged."""
    import openpyxl
    from openpyxl.utils.exceptions import IllegalCharacterError

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in range(draw(st.integers(0, 3))):
        ws = wb.create_sheet(draw(st.sampled_from(["Sheet", "县民政局", "说明", "数据", "a(b)"])) + str(s))
        headers = draw(st.lists(st.sampled_from(HEADERS), max_size=10))
        rows = draw(st.lists(st.lists(_xlsx_value(), max_size=10), max_size=8))
        for r, values in enumerate([headers, *rows], start=1):
            for c, value in enumerate(values, start=1):
                try:
                    ws.cell(row=r, column=c, value=value)
                except (IllegalCharacterError, ValueError):
                    ws.cell(row=r, column=c, value="?")
        if headers and draw(st.booleans()):
            last = draw(st.integers(1, len(headers)))
            ws.merge_cells(start_row=1, start_column=1, end_row=draw(st.integers(1, 2)), end_column=last)
    if not wb.worksheets:
        wb.create_sheet("空")
    buffer = io.BytesIO()
    wb.save(buffer)
    data = bytearray(buffer.getvalue())
    # Positions drawn independently of the length: the saved bytes carry the time, and hypothesis needs the same
    # draws to make the same example.
    if draw(st.integers(0, 5)) == 0:
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, 2**20)) % len(data)] = draw(st.integers(0, 255))
    if draw(st.integers(0, 9)) == 0:
        del data[draw(st.integers(0, 2**20)) % len(data):]
    return bytes(data)


def write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


EXAMPLE_CPU_SECONDS = 8.0


def ci(max_examples: int):
    """Settings for the CI fuzz tests: the same examples every run (derandomized, no example database), a bound
    on each example's time (8 s: a seed compile now builds the 38 区县's standard units too, and took 3.5–3.9 s on
    the shared machine), and `max_examples` sized so the whole fuzz set runs within a minute.

    The bound is on the CPU time the example used (`time.process_time`), not hypothesis's clock deadline: the suite
    runs on every core (pytest-xdist) beside whole `luoshi build`s in subprocesses, and a loaded machine stretches
    the clock, not the work: a clock deadline made a slow-machine flake of an input that was fine."""
    import functools
    import time

    from hypothesis import HealthCheck, settings

    chosen = settings(derandomize=True, database=None, deadline=None, print_blob=True, max_examples=max_examples,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])

    def apply(test):
        test = chosen(test)
        inner = test.hypothesis.inner_test  # hypothesis's documented hook for wrapping each example's run

        @functools.wraps(inner)
        def bounded(*args, **kwargs):
            started = time.process_time()
            result = inner(*args, **kwargs)
            used = time.process_time() - started
            assert used <= EXAMPLE_CPU_SECONDS, f"one example took {used:.1f} s of CPU (bound {EXAMPLE_CPU_SECONDS} s)"
            return result

        test.hypothesis.inner_test = bounded
        return test

    return apply


# ───────────── import inputs ─────────────

IMPORT_SEEDS: dict[str, str] = {p.name: p.read_text(encoding="utf-8")
                                for p in sorted((Path(__file__).parents[1] / "fixtures" / "seeds").glob("*.txt"))}


@st.composite
def import_document(draw) -> tuple[str, bytes]:
    """(suffix, bytes) of a document for `luoshi import`: a seed text mutated, then written as plain text, Markdown,
    an HTML page or a Word document, re-encoded or damaged as `as_bytes` does."""
    seed = IMPORT_SEEDS[draw(st.sampled_from(sorted(IMPORT_SEEDS)))]
    start = draw(st.integers(0, max(0, len(seed) - 1)))
    text = draw(mutated_text(seed[start:start + draw(st.integers(0, 3000))], max_edits=6))
    kind = draw(st.sampled_from([".txt", ".md", ".html", ".docx"]))
    if kind == ".html":
        cells = draw(st.booleans())
        body = "".join(f"<tr><td>{line}</td><td>{line[:4]}</td></tr>" if cells else f"<p>{line}</p>" for line in text.split("\n"))
        text = f"<html><body>{'<table>' if cells else ''}{body}{'</table>' if cells else ''}</body></html>"
    if kind == ".md":
        text = "\n".join(("# " if i == 0 else "- " if line.startswith(("一", "二", "（")) else "") + line
                         for i, line in enumerate(text.split("\n")))
    if kind != ".docx":
        return kind, draw(as_bytes(text))
    import docx
    from docx.opc.exceptions import OpcError

    document = docx.Document()
    for line in text.split("\n")[:300]:
        clean = "".join(c for c in line if c in "\t\n" or (ord(c) >= 32 and not 0xD800 <= ord(c) <= 0xDFFF and c not in "\ufffe\uffff"))
        try:
            document.add_paragraph(clean)
        except (ValueError, OpcError):
            pass
    if draw(st.booleans()):
        rows = draw(st.integers(1, 4))
        table = document.add_table(rows=rows, cols=3)
        for r, line in enumerate(text.split("\n")[:rows]):
            table.cell(r, 0).text = str(r + 1)
            table.cell(r, 2).text = "".join(c for c in line if ord(c) >= 32 and not 0xD800 <= ord(c) <= 0xDFFF)[:200]
        if rows > 1 and draw(st.booleans()):
            table.cell(0, 1).merge(table.cell(rows - 1, 1))
    buffer = io.BytesIO()
    document.save(buffer)
    data = bytearray(buffer.getvalue())
    if draw(st.integers(0, 5)) == 0:
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, 2**20)) % len(data)] = draw(st.integers(0, 255))
    return kind, bytes(data)


# ───────────── command lines ─────────────

COMMANDS = ["check", "lint", "table", "checklist", "graph", "diff", "comply", "units", "--version", "--help", "nonsense"]
ARGUMENTS = ["yfbf-2018-161", "yyfbf-2019-22", "cjbf-2024-54", "bishan-2020-shjz", "dzmf-2019-26", "policies",
             "policies/yyfbf-2019-22.policy", "云阳县/县民政局", "县民政局", "璧山区/区民政局", "2.2", "2.2.2", "-", "",
             "--format", "-f", "json", "md", "csv", "html", "xlsx", "docx", "sarif", "human", "graphml", "dot", "mermaid",
             "--lang", "zh", "en", "both", "--as-of", "2020-12-31", "2019-02-30", "20191301", "--from", "--to",
             "--section", "--columns", "deadline,target", "--policy", "--unit", "-o", "--output", "--force", "-h",
             "../x", "/dev/null", "a" * 300, "\x00", "\udcb4", "--no-baseline", "--select", "LS201", "--ignore",
             *(str(POLICIES.parent / "tests" / name) for name in ("fixtures/comply/reports.csv", "badinput/ragged.csv",
                                                                   "badinput/xls_renamed.xlsx", "badinput/serial_date.csv"))]


@st.composite
def command_line(draw) -> list[str]:
    """argv for `luoshi`: a command (mostly one that only reads) and arguments drawn from what they take, with
    made-up text among them; outputs go to the test's own folder (see bench/fuzz_long.py)."""
    args = [draw(st.sampled_from(COMMANDS))]
    for _ in range(draw(st.integers(0, 6))):
        args.append(draw(st.one_of(st.sampled_from(ARGUMENTS), st.text(max_size=10))))
    return args


# ───────────── batches of cells and names (fast targets: each element is one input) ─────────────

DATE_PARTS = ["2019", "2020", "0000", "9999", "1949", "2100", "02", "2", "13", "30", "31", "29", "00", "99", "-", "/", ".",
              "年", "月", "日", " ", "T", ":", "25", "61", "23", "59", "60", "０", "２", "／", "．", "－", "'", "\t", "\u3000"]


def date_cell() -> st.SearchStrategy[str]:
    """A date cell as people and exporters write it, and as they mistype it: 8 digits, Y-M-D with any separator,
    a time after it, full-width digits, and pieces of all of those run together."""
    eight = st.integers(0, 99_999_999).map(lambda n: f"{n:08d}")
    ymd = st.tuples(st.integers(0, 10_000), st.integers(0, 99), st.integers(0, 99), st.sampled_from(["-", "/", ".", "年"]),
                    st.sampled_from(["", " 23:59", " 25:61", "T00:00:00", " 24:00", " 9:5"])).map(
        lambda t: f"{t[0]}{t[3]}{t[1]}{t[3] if t[3] != '年' else '月'}{t[2]}{'日' if t[3] == '年' else ''}{t[4]}")
    pieces = st.lists(st.sampled_from(DATE_PARTS), max_size=8).map("".join)
    return st.one_of(eight, ymd, pieces, st.text(max_size=12))


def date_cells(size: int = 500) -> st.SearchStrategy[list[str]]:
    return st.lists(date_cell(), min_size=size, max_size=size)


def names(size: int = 200) -> st.SearchStrategy[list[str]]:
    """Unit, jurisdiction and task names, with the characters a file name or URL cannot hold."""
    alphabet = st.sampled_from(list('abAB_-. /\\:*?"<>|#%&{}()[]`!^~\'甲乙（）、\t\x00') + ["index", "index_", "..", "."])
    return st.lists(st.lists(alphabet, min_size=1, max_size=6).map("".join), min_size=size, max_size=size, unique=True)
