"""Writes compiler/luoshi/data/traditional.txt: each traditional character OpenCC's t2s converts to one other
character, with that simplified character, both in the Basic Multilingual Plane (the site's search folds a
reader's 臨時救助 to 临时救助 with it: luoshi/site/search_index.py).

    python -m pip download --no-deps opencc==1.4.2 -d /tmp/opencc && unzip /tmp/opencc/*.whl -d /tmp/opencc/x
    PYTHONPATH=/tmp/opencc/x python scripts/make_traditional.py
"""

from __future__ import annotations

from pathlib import Path

import opencc  # type: ignore[import-not-found]

OUT = Path(__file__).resolve().parents[1] / "compiler" / "luoshi" / "data" / "traditional.txt"
BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


def main() -> None:
    convert = opencc.OpenCC("t2s").convert
    pairs = []
    for start, end in BLOCKS:
        for code in range(start, end):
            ch = chr(code)
            simple = convert(ch)
            if simple != ch and len(simple) == 1 and ord(simple) < 0x10000:
                pairs.append(ch + simple)
    lines = ["# traditional → simplified, one pair of characters after another (see scripts/make_traditional.py)",
             f"# OpenCC {getattr(opencc, '__version__', '1.4.2')} t2s (TSCharacters), Apache License 2.0: https://github.com/BYVoid/OpenCC"]
    lines += ["".join(pairs[i:i + 40]) for i in range(0, len(pairs), 40)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(pairs)} pairs → {OUT}")


if __name__ == "__main__":
    main()
