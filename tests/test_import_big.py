"""Large documents: `luoshi import` must grow about linearly with the document, and refuse what is too large.

Not timed: the super-linear term found in round 10 (a flattened 分工表 of 1,500 rows took minutes, because rows
from 序号 1000 on are read as one row whose thousands of lines `_rewrap` joined one pair a pass) is caught by
counting the calls of the function that pass repeated, so the test fails the same way on a loaded machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.importer import flattened, readers
from luoshi.importer.readers import ReadError, read_document, read_markdown

UNITS = ["区发展改革委", "区财政局", "区民政局", "各街镇"]


def _flat_table(rows: int) -> str:
    """A 分工表 flattened one cell a line (as a PDF's or a web page's text gives it), `rows` rows long."""
    lines = ["附件", "", "重点任务分工表", "", "序号", "重点任务", "责任单位", "完成时限"]
    for i in range(1, rows + 1):
        lines += [str(i), f"推进第{i}项重点任务，完善相关工作机制", UNITS[i % 4], f"2025年{i % 12 + 1}月底前"]
    return "\n".join(lines) + "\n"


def test_long_flattened_table_is_read_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    line_kind = flattened._line_kind

    def counted(line: str) -> str:
        nonlocal calls
        calls += 1
        return line_kind(line)

    monkeypatch.setattr(flattened, "_line_kind", counted)
    _, lines = read_markdown(_flat_table(1500), False)
    # Before round 10: ~4.5 million calls (each of ~6,000 joins rescanned the ~6,000 lines after 序号 999).
    assert calls < 10 * 1500 * 4
    rows = [line for line in lines if line.cells is not None]
    assert len(rows) == 1 + 999  # the header and rows 1-999, each cell in its column
    assert rows[999].cells == ("999", "推进第999项重点任务，完善相关工作机制", "各街镇", "2025年4月底前")


def test_wrapped_cells_are_still_joined() -> None:
    # A PDF row whose cells wrap (the case _rewrap exists for) is joined back as before the size guard.
    body = ["完成背街小巷改造提升20条，改", "善群众出行环境。", "区城管局（牵头），", "各街道", "2024年12月", "底前"]
    assert flattened._rewrap(body, 3) == ["完成背街小巷改造提升20条，改善群众出行环境。", "区城管局（牵头），各街道",
                                          "2024年12月底前"]


def test_too_large_a_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text("一、总体要求\n" * 200, encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        read_document(path)
    assert caught.value.code == "LS601"
    assert "拆分" in caught.value.zh and "split" in caught.value.en
    small = tmp_path / "small.txt"
    small.write_text("一、总体要求\n", encoding="utf-8")
    assert read_document(small).lines  # under the limit: read as ever
