"""`luoshi sample-cases`: a realistic roster and comparison tables with households planted for each encoded rule,
and a manifest of who was planted where (roster.csv → roster.planted.json). The ID numbers are made up (valid
form, area code 5001…, check digit computed) and the parameter values are fixture values, not official amounts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from pathlib import Path

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(rng: random.Random, birth: dt.date) -> str:
    body = f"500117{birth:%Y%m%d}{rng.randrange(1000):03d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, _WEIGHTS)) % 11]
    return body + check


# rule key → how to plant it on one household (returns its comparison rows)
PLANTS = ("cjbf-2024-54:2.5/收入渐退", "cjbf-2024-54:2.10.1/正常参保", "cjbf-2024-54:2.10.1/终止参保",
          "cjbf-2024-54:2.10.2/车辆已注销", "cjbf-2024-54:2.10.2/车辆未注销", "cjbf-2024-54:2.10.3/三年内购房",
          "cjbf-2024-54:2.10.3/两套住房", "cjbf-2024-54:2.10.4/工商登记")
STANDARD = 700.0  # fixture 低保标准 (元/月) for the sample: NOT the official amount


def generate(households: int, as_of: dt.date, seed: int = 1, share: float = 0.05) -> dict[str, bytes | dict]:
    rng = random.Random(seed)
    roster = [["户编号", "姓名", "身份证号", "辖区", "镇街", "家庭人口", "家庭月人均收入"]]
    tables = {"社保": [["身份证号", "险种", "状态", "单位"]], "车辆": [["身份证号", "号牌", "状态"]],
              "房产": [["身份证号", "坐落", "购置日期", "来源", "位置"]], "工商": [["身份证号", "企业名称", "状态"]]}
    planted: dict[str, list[str]] = {k: [] for k in PLANTS}
    decoys: dict[str, list[str]] = {"征地拆迁": [], "农村一套": [], "购房超过三年": []}
    for n in range(households):
        hh = f"CJ{n + 1:07d}"
        size = rng.choice((1, 1, 2, 2, 3, 4))
        members = [id_number(rng, dt.date(rng.randrange(1940, 2010), rng.randrange(1, 13), rng.randrange(1, 29)))
                   for _ in range(size)]
        income = round(rng.uniform(150, STANDARD - 1), 0)
        plant = rng.choice(PLANTS) if rng.random() < share * len(PLANTS) else None
        head = members[0]
        if plant == PLANTS[0]:
            income = round(rng.uniform(STANDARD + 1, STANDARD * 1.5 - 1), 0)
        elif plant == PLANTS[1]:
            tables["社保"].append([head, "养老保险", "正常参保", "重庆某某建材有限公司"])
        elif plant == PLANTS[2]:
            tables["社保"].append([head, "养老保险", "终止参保", ""])
        elif plant == PLANTS[3]:
            tables["车辆"].append([head, f"渝D{rng.randrange(10000, 99999)}", "注销"])
        elif plant == PLANTS[4]:
            tables["车辆"].append([head, f"渝D{rng.randrange(10000, 99999)}", rng.choice(["正常", "逾期未检验"])])
        elif plant == PLANTS[5]:
            bought = as_of - dt.timedelta(days=rng.randrange(30, 3 * 365 - 30))
            tables["房产"].append([head, "合川区南津街某小区", bought.isoformat(), "购买", "城镇"])
        elif plant == PLANTS[6]:  # 农村有房，在城里买房的，认定为两套住房 (bought long ago: only 两套 fires)
            tables["房产"].append([head, "草街街道某村", "2005-03-01", "自建", "农村"])
            tables["房产"].append([members[-1], "合川区钓鱼城街道某小区", "2015-06-01", "购买", "城镇"])
        elif plant == PLANTS[7]:
            tables["工商"].append([head, f"合川区草街某某经营部{n}", "存续"])
        elif rng.random() < share:  # decoys the exceptions must leave alone
            kind = rng.choice(list(decoys))
            if kind == "征地拆迁":
                bought = as_of - dt.timedelta(days=rng.randrange(30, 3 * 365 - 30))
                tables["房产"].append([head, "合川区草街安置小区", bought.isoformat(), "征地拆迁", "城镇"])
            elif kind == "农村一套":
                tables["房产"].append([head, "草街街道某村", "2001-09-01", "自建", "农村"])
            else:
                tables["房产"].append([head, "合川区南津街某小区", (as_of - dt.timedelta(days=3 * 365 + 60)).isoformat(), "购买", "城镇"])
            decoys[kind].append(hh)
        if plant:
            planted[plant].append(hh)
        for m in members:
            roster.append([hh, "某某", m, "合川区", "草街街道", str(size), f"{income:g}"])
    out: dict[str, bytes | dict] = {"名册.csv": _csv(roster)}
    for k, rows in tables.items():
        out[f"{k}.csv"] = _csv(rows)
    out["参数.csv"] = _csv([["参数", "辖区", "起始", "终止", "值", "依据"],
                            ["低保标准", "合川区", "2024-01-01", "", f"{STANDARD:g}", "样例值（非官方标准，请按本地文件填写）"]])
    out["planted.json"] = {"as_of": as_of.isoformat(), "planted": planted, "decoys": decoys}
    return out


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def write(directory: Path, households: int, as_of: dt.date, seed: int = 1) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in generate(households, as_of, seed).items():
        path = directory / name
        path.write_bytes(data if isinstance(data, bytes) else
                         (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8"))
        paths.append(path)
    return paths
