"""Copy a synthetic corpus with seeded random edits that make most lint rules fire: a differential check of the
lint rules (bench/README.md, "Round 10"). Swaps, drops and adds units, moves dates, weakens, drops and repeats
targets, breaks and waives links, and backdates policies; the corpus still compiles.

    python bench/synth.py /tmp/c100 --size 100 && python bench/mutate.py /tmp/c100 /tmp/mut1 1
"""
from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

src, dst, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
shutil.rmtree(dst, ignore_errors=True)
shutil.copytree(src, dst)
rng = random.Random(seed)
files = sorted((dst / "policies").glob("*.policy"))
names = sorted({u for f in files for line in f.read_text().splitlines()
                if line.strip().startswith(("牵头", "配合")) for u in line.split(None, 1)[1].split("、")})
for f in files:
    out = []
    lead = None
    for line in f.read_text().splitlines():
        s = line.strip()
        ind = line[: len(line) - len(line.lstrip())]
        r = rng.random()
        if s.startswith("牵头 "):
            lead = s.split(None, 1)[1]
            if r < 0.08:
                line = ind + "负责 " + lead + "、" + rng.choice(names)
            elif r < 0.12:
                continue
            elif r < 0.18:
                line = ind + "牵头 " + rng.choice(names)
            elif r < 0.22:
                line = ind + "负责 " + lead
        elif s.startswith("配合 "):
            if r < 0.1 and lead:
                line = line + "、" + lead.split("、")[0]
            elif r < 0.15:
                line = line + "、" + rng.choice(names)
        elif s.startswith("时限 "):
            if r < 0.1:
                line = re.sub(r"20\d\d", "2017", line)
            elif r < 0.2:
                line = re.sub(r"20\d\d", "2022", line)
            elif r < 0.27:
                continue
            elif r < 0.32:
                out.append(ind + "时限 每月")
        elif s.startswith("目标 "):
            if r < 0.15:
                line = re.sub(r"(\d+)%", lambda m: f"{max(1, int(m.group(1)) - 15)}%", line)
            elif r < 0.25:
                continue
            elif r < 0.35:
                out.append(line)
                line = re.sub(r"(\d+)%", lambda m: f"{int(m.group(1)) + 3}%", line)
        elif s.startswith("落实 ") and ":" in s:
            if r < 0.05:
                continue
            elif r < 0.1:
                line = re.sub(r"\.(\d+)$", lambda m: f".{int(m.group(1)) % 9 + 1}", line)
            elif r < 0.13:
                out.append(line)
                line = ind + "不予落实 " + s.split(None, 1)[1] + ' ""'
        elif s.startswith("成文日期 ") and r < 0.05:
            line = ind + "成文日期 2017年1月1日"
        elif s.startswith("任务 "):
            lead = None
        out.append(line)
    f.write_text("\n".join(out) + "\n")
