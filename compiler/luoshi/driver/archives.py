"""Zip bombs: an xlsx or docx is a zip archive, and the libraries that read them (openpyxl, python-docx) inflate
a member whole or parse it as one XML text. A 3 MB workbook whose sheet inflates to 3 GB of white space held the
whole of it in memory and ended in an out-of-memory internal error (`luoshi comply`); a 1.5 MB one with a 1.5 GB
cell did the same. Each reader asks `inflated` first and refuses such a file with a located message.

What counts as a bomb: a member that inflates past `LARGE` and more than `RATIO` times its compressed size.
Real Office XML compresses about 5–30 times (a sheet of repeated values towards 50), white space or one repeated
character about 1,000 times; a real sheet over `LARGE` (a million rows) is still read, and so is any small file.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

LARGE = 64 * 2**20  # bytes a member may inflate to whatever its ratio
RATIO = 200  # inflated / compressed beyond which a large member is a bomb
TOTAL = 4 * 2**30  # bytes all members together may inflate to


@dataclass(frozen=True)
class Inflated:
    """The member that gives the file away, for the message."""

    member: str
    size: int
    compressed: int

    def said(self, source: str | None = None) -> tuple[str, str]:
        """The message, in Chinese and English; `source` where the diagnostic's place does not name the file."""
        gb, times = self.size / 2**30, self.size // max(self.compressed, 1)
        zh, en = (f"「{source}」中的 ", f"'{source}': ") if source else ("", "")
        return (f"{zh}{self.member} 解压后有 {gb:.1f} GB（压缩的 {times:,} 倍），像是压缩炸弹，未读取",
                f"{en}{self.member} inflates to {gb:.1f} GB ({times:,} times its compressed size), like a zip bomb; "
                "not read")


HINT = ("若确是数据，在 Excel 或 WPS 中打开后另存（或存为 CSV）", "if it is real data, open it in Excel or WPS and save "
        "it again (or as CSV)")


def inflated(file: Path | IO[bytes]) -> Inflated | None:
    """The member that would inflate beyond the limits, or None (also for a file that is not a zip: its reader
    says so in its own words)."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > LARGE and info.file_size > RATIO * max(info.compress_size, 1):
            return Inflated(info.filename, info.file_size, info.compress_size)
        if total > TOTAL:
            return Inflated(info.filename, total, sum(i.compress_size for i in members))
    return None
