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


# rule keys a planted household must fire, and the jurisdiction (辖区, 镇街) it lives in
HC, BS, YY, DZ = ("合川区", "草街街道"), ("璧山区", "璧城街道"), ("云阳县", "双江街道"), ("大足区", "棠香街道")
PLANTS: dict[str, tuple[tuple[str, ...], tuple[str, str]]] = {
    "渐退": (("cjbf-2024-54:2.5/收入渐退",), HC),
    "正常参保": (("cjbf-2024-54:2.10.1/正常参保",), HC),
    "终止参保": (("cjbf-2024-54:2.10.1/终止参保",), HC),
    "车辆已注销": (("cjbf-2024-54:2.10.2/车辆已注销",), HC),
    "车辆未注销": (("cjbf-2024-54:2.10.2/车辆未注销",), HC),
    "三年内购房": (("cjbf-2024-54:2.10.3/三年内购房",), HC),
    "两套住房": (("cjbf-2024-54:2.10.3/两套住房",), HC),
    "工商": (("cjbf-2024-54:2.10.4/工商登记",), HC),
    "璧山渐退": (("bishan-2020-shjz:3/收入渐退",), BS),
    "孤儿": (("bishan-2020-shjz:11/年满18周岁孤儿住房保障", "bishan-2020-shjz:12/年满18周岁孤儿危房改造"), BS),
    "云阳支出型": (("yyfbf-2019-22:2.1.2/支出型困难",), YY),
    "大足支出型": (("dzmf-2019-26:2.1/支出型困难",), DZ),
    "七十岁": (("yfbf-2018-161:2.1/七十岁以上",), HC),
    "云阳七十岁": (("yfbf-2018-161:2.1/七十岁以上", "yyfbf-2019-22:2.1.1/七十岁以上"), YY),  # the city's rule and the county's
    "临时救助": (("yfbf-2018-161:2.8/临时救助收入",), HC),
}
# fixture parameter values for the sample: NOT official amounts (the user fills the real ones from local documents)
STANDARD = {"合川区": 700.0, "璧山区": 710.0, "云阳县": 690.0, "大足区": 705.0}
DISPOSABLE = 30000.0
CLEAN = (HC, HC, HC, HC, BS, YY, DZ)


def generate(households: int, as_of: dt.date, seed: int = 1, share: float = 0.02) -> dict[str, bytes | dict]:
    rng = random.Random(seed)
    roster = [["户编号", "姓名", "身份证号", "身份", "辖区", "镇街", "救助类别", "家庭人口", "家庭月人均收入", "申请前6个月扣减后月人均收入"]]
    tables = {"社保": [["身份证号", "险种", "状态", "单位"]], "车辆": [["身份证号", "号牌", "状态"]],
              "房产": [["身份证号", "坐落", "购置日期", "来源", "位置"]], "工商": [["身份证号", "企业名称", "状态"]]}
    planted: dict[str, list[str]] = {k: [] for keys, _ in PLANTS.values() for k in keys}
    decoys: dict[str, list[str]] = {"征地拆迁": [], "农村一套": [], "购房超过三年": []}
    kinds = list(PLANTS)
    used: set[str] = set()
    young = lambda: dt.date(rng.randrange(1956, 2010), rng.randrange(1, 13), rng.randrange(1, 29))  # noqa: E731
    for n in range(households):
        hh = f"CS{n + 1:07d}"
        plant = rng.choice(kinds) if rng.random() < share * len(kinds) else None
        where = PLANTS[plant][1] if plant else rng.choice(CLEAN)
        standard = STANDARD[where[0]]
        size = 1 if plant == "孤儿" else rng.choice((1, 1, 2, 2, 3, 4))
        births = [young() for _ in range(size)]
        if plant in ("七十岁", "云阳七十岁"):
            births[0] = dt.date(rng.randrange(1935, 1954), rng.randrange(1, 13), rng.randrange(1, 29))
        if plant == "孤儿":
            births[0] = dt.date(rng.randrange(1996, 2006), rng.randrange(1, 13), rng.randrange(1, 29))
        members = []
        for b in births:  # ID numbers are unique, as real ones are: a repeat would join one vehicle to two households
            while (m := id_number(rng, b)) in used:
                b += dt.timedelta(days=1)
            used.add(m)
            members.append(m)
        income = round(rng.uniform(150, standard - 1), 0)
        category, window = "低保", ""
        head = members[0]
        if plant in ("渐退", "璧山渐退"):
            income = round(rng.uniform(standard + 1, standard * 1.5 - 1), 0)
        elif plant == "正常参保":
            tables["社保"].append([head, "养老保险", "正常参保", "重庆某某建材有限公司"])
        elif plant == "终止参保":
            tables["社保"].append([head, "养老保险", "终止参保", ""])
        elif plant == "车辆已注销":
            tables["车辆"].append([head, f"渝D{rng.randrange(10000, 99999)}", "注销"])
        elif plant == "车辆未注销":
            tables["车辆"].append([head, f"渝D{rng.randrange(10000, 99999)}", rng.choice(["正常", "逾期未检验"])])
        elif plant == "三年内购房":
            bought = as_of - dt.timedelta(days=rng.randrange(30, 3 * 365 - 30))
            tables["房产"].append([head, "合川区南津街某小区", bought.isoformat(), "购买", "城镇"])
        elif plant == "两套住房":  # 农村有房，在城里买房的，认定为两套住房 (bought long ago: only 两套 fires)
            tables["房产"].append([head, "草街街道某村", "2005-03-01", "自建", "农村"])
            tables["房产"].append([members[-1], "合川区钓鱼城街道某小区", "2015-06-01", "购买", "城镇"])
        elif plant == "工商":
            tables["工商"].append([head, f"合川区草街某某经营部{n}", "存续"])
        elif plant in ("云阳支出型", "大足支出型"):
            window = f"{round(rng.uniform(100, standard - 1)):g}"
            income = round(rng.uniform(standard * 1.5, standard * 2), 0)  # above the band: only the window rule fires
        elif plant == "临时救助":
            category, income = "临时救助", round(rng.uniform(DISPOSABLE / 12 + 10, DISPOSABLE / 12 + 900), 0)
        elif plant is None and where == HC and rng.random() < share * 4:  # decoys the exceptions must leave alone
            kind = rng.choice(list(decoys))
            if kind == "征地拆迁":
                bought = as_of - dt.timedelta(days=rng.randrange(30, 3 * 365 - 30))
                tables["房产"].append([head, "合川区草街安置小区", bought.isoformat(), "征地拆迁", "城镇"])
            elif kind == "农村一套":
                tables["房产"].append([head, "草街街道某村", "2001-09-01", "自建", "农村"])
            else:
                tables["房产"].append([head, "合川区南津街某小区", (as_of - dt.timedelta(days=3 * 365 + 60)).isoformat(), "购买", "城镇"])
            decoys[kind].append(hh)
        for k in (PLANTS[plant][0] if plant else ()):
            planted[k].append(hh)
        for i, m in enumerate(members):
            roster.append([hh, "某某", m, "孤儿" if plant == "孤儿" else "", where[0], where[1], category, str(size),
                           f"{income:g}", window])
    out: dict[str, bytes | dict] = {"名册.csv": _csv(roster)}
    for k, rows in tables.items():
        out[f"{k}.csv"] = _csv(rows)
    note = "样例值（非官方标准，请按本地文件填写）"
    out["参数.csv"] = _csv([["参数", "辖区", "起始", "终止", "值", "依据"],
                            *[["低保标准", j, "2024-01-01", "", f"{v:g}", note] for j, v in STANDARD.items()],
                            *[["上年度人均可支配收入", j, "2024-01-01", "", f"{DISPOSABLE:g}", note] for j in STANDARD]])
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
