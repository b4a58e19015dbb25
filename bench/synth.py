"""A synthetic corpus like the seeds, at any size, seeded and reproducible; and completion data for it.

One municipal opinion (the shape of 渝府办发〔2018〕161号: sections of measures with lead-first 责任单位,
deadlines, targets), implemented by N districts/counties, each implemented by M townships/subdistricts; every
local task `落实`s its parent, units are the local counterparts (same role), targets tighten a little, deadlines
come a little earlier. Writes a project folder (pyproject.toml with [tool.luoshi], policies/, policies/units/).

The chain is consistent the way a well-drafted family is: each local task keeps its parent's roles (every
township has a counterpart for every role), so `luoshi lint` finds only the unused-unit notes a registry has.

    python bench/synth.py OUT --districts 40 --townships 249 --tasks 20 --seed 1
    python bench/synth.py OUT --size 10k                     # presets: 100, 1k, 10k, 50k (files), see SIZES
    python bench/synth.py OUT --data 10000000                # + OUT/completion.parquet with that many rows
    python bench/synth.py OUT --size seed --data 1000000     # the repository's seed corpus, copied, + 1M rows

Completion data: `luoshi sample-data` makes the natural data set (every unit and scope, monthly reports, planted
violations); DuckDB then repeats its report rows (not its 临时救助 case rows) with a numbered 备注 until the
requested count. Repeated rows leave every check's outcome as it was, so the planted violations stay the
expected failures at any size.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# name → (districts, townships per district, tasks per policy): policy files ≈ 1 + d × (1 + t); tasks = 20 × that
SIZES = {"100": (2, 49, 20), "1k": (10, 99, 20), "10k": (40, 249, 20), "50k": (200, 249, 20)}  # 50k: one province, a few years

ROLES = ["民政", "教育", "财政", "卫生健康", "残联", "应急", "医保", "住房城乡建设", "人力社保", "水利", "气象", "统计"]
DEPT = {"民政": "民政局", "教育": "教委", "财政": "财政局", "卫生健康": "卫生健康委", "残联": "残联", "应急": "应急局",
        "医保": "医保局", "住房城乡建设": "住房城乡建委", "人力社保": "人力社保局", "水利": "水利局", "气象": "气象局", "统计": "统计局"}
TOWN_DEPT = {"民政": "社会事务办", "教育": "教育办", "财政": "财政所", "卫生健康": "卫生院", "残联": "残联",
             "应急": "应急办", "医保": "医保办", "住房城乡建设": "建设环保办", "人力社保": "劳动保障所", "水利": "水利站",
             "气象": "气象站", "统计": "统计站"}
TITLES = ["加强最低生活保障", "提升特困人员救助供养水平", "加强自然灾害救助", "强化基本医疗保障", "加大教育资助力度",
          "改善基本居住条件", "开展就业创业帮扶", "发挥临时救助作用", "建立帮扶平台", "培育帮扶主体", "构建帮扶机制",
          "营造帮扶氛围", "加强组织领导", "加强资金投入", "加强精准帮扶", "加强督促检查"]
TEXT = ("根据健康人食品类支出和非食品类生活必需品支出及居民人均消费支出增长幅度，同步提高城市低保标准。"
        "加大对低保对象中的重点人员分类救助力度，适时提高分类重点救助标准。")
METRICS = ["失能特困人员集中供养率", "医保目录外费用占比", "居民医保住院报销比例", "社会救助协理员配备率"]
CN = "一二三四五六七八九十"


def _roles_file() -> str:
    lines = [f'角色 {r} "{r}部门"' for r in ROLES] + ['角色 政府 "人民政府"', '角色 下级政府 "下一级人民政府"']
    return "\n".join(lines) + "\n"


def _units(name: str, kind: str, level: str, parent: str | None, prefix: str, towns: list[str] = ()) -> str:
    head = [f"辖区 {name} {{", f"  类型 {kind}", f"  层级 {level}"] + ([f"  上级 {parent}"] if parent else [])
    if kind in ("街道", "镇"):
        body = [f"  单位 {name}办事处 角色 政府"] + [f"  单位 {name}{d} 角色 {r}" for r, d in TOWN_DEPT.items()]
    else:
        body = [f"  单位 {prefix}政府 角色 政府"] + [f"  单位 {prefix}{DEPT[r]} 角色 {r}" for r in ROLES]
        body.append('  集体 "各乡镇（街道）" 角色 下级政府' + (f" 成员 {'、'.join(t + '办事处' for t in towns[:50])}" if towns else ""))
    return "\n".join(head + body + ["}"]) + "\n"


def _policy(pid: str, title: str, jurisdiction: str, issuer: str, date: str, parent: str | None, tasks: list[dict]) -> str:
    out = [f"政策 {pid} {{", f'  文号 "{pid}号"', f'  标题 "{title}"', f"  发文机关 {issuer}", f"  成文日期 {date}",
           f"  辖区 {jurisdiction}"]
    if parent:
        out.append(f"  落实 {parent}")
    sections: dict[str, list[dict]] = {}
    for t in tasks:
        sections.setdefault(t["id"].split(".")[0], []).append(t)
    for sid, items in sections.items():
        out.append(f'  部分 {sid} "第{CN[(int(sid) - 1) % 10]}部分" {{')
        for t in items:
            out += [f'    任务 {t["id"]} "{t["title"]}" {{', f'      原文 """{t["title"]}。{TEXT}"""', f"      牵头 {t['lead']}"]
            if t["coop"]:
                out.append(f"      配合 {'、'.join(t['coop'])}")
            if t.get("deadline"):
                out.append(f"      时限 {t['deadline']}")
            if t.get("target"):
                out.append(f"      目标 {t['target']}")
            if t.get("implements"):
                out.append(f"      落实 {t['implements']}")
            out.append("    }")
        out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def _family_roles(rng: random.Random, n: int) -> list[list[str]]:
    """The roles of each measure, lead first: drawn once, kept by every level that carries the measure out."""
    return [rng.sample(ROLES, k=rng.randint(1, 4)) for _ in range(n)]


def _tasks(family: list[list[str]], unit_of, parent: str | None, tighten: int, month: int) -> list[dict]:
    tasks = []
    for i, roles in enumerate(family):
        section, item = 2 + i // 8, 1 + i % 8
        task = {"id": f"{section}.{item}", "title": TITLES[i % len(TITLES)], "lead": unit_of[roles[0]],
                "coop": [unit_of[r] for r in roles[1:]]}
        if i % 3 == 0:
            task["deadline"] = f"2020年{max(1, month - tighten)}月底前"
        if i % 5 == 0:
            task["target"] = f"{METRICS[i % len(METRICS)]} 达到 {min(95, 40 + 5 * tighten)}% 截至 2020年底"
        if parent:
            task["implements"] = f"{parent}:{task['id']}"
        tasks.append(task)
    return tasks


def generate(out: Path, districts: int, townships: int, tasks: int, seed: int) -> dict:
    rng = random.Random(seed)
    family = _family_roles(rng, tasks)
    if out.exists():
        shutil.rmtree(out)
    units_dir = out / "policies" / "units"
    units_dir.mkdir(parents=True)
    # the real 重庆市 with invented 第N区: no division data, else the 38 real 区县 would join the synthetic ones
    (out / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "policies"\noutput = "build"\nstandard_units = false\n',
                                        encoding="utf-8")
    (units_dir / "roles.units").write_text(_roles_file(), encoding="utf-8")
    city = "重庆市"
    (units_dir / "重庆市.units").write_text(_units(city, "直辖市", "市级", None, "市"), encoding="utf-8")
    city_units = {r: "市" + DEPT[r] for r in ROLES}
    city_id = "syn-city"
    files = 3
    (out / "policies" / f"{city_id}.policy").write_text(
        _policy(city_id, "关于加强城市特殊困难群众救助帮扶工作的意见", city, "市政府", "2018年11月12日", None,
                _tasks(family, city_units, None, 0, 12)), encoding="utf-8")
    total_tasks = tasks
    for d in range(districts):
        dname = f"第{d + 1}区"
        towns = [f"{dname}第{t + 1}街道" for t in range(townships)]
        (units_dir / f"{dname}.units").write_text(_units(dname, "区", "县级", city, "区", towns), encoding="utf-8")
        d_units = {r: "区" + DEPT[r] for r in ROLES}
        did = f"syn-d{d + 1}"
        d_tighten = rng.randint(1, 2)
        (out / "policies" / f"{did}.policy").write_text(
            _policy(did, f"{dname}贯彻落实意见的实施办法", dname, "区政府", "2019年2月28日", city_id,
                    _tasks(family, d_units, city_id, d_tighten, 12)), encoding="utf-8")
        files += 2
        town_units_text = []
        for t, town in enumerate(towns):
            town_units_text.append(_units(town, "街道", "乡级", dname, ""))
            t_units = {r: f"{town}{TOWN_DEPT[r]}" for r in TOWN_DEPT}
            tid = f"syn-d{d + 1}-t{t + 1}"
            (out / "policies" / f"{tid}.policy").write_text(
                _policy(tid, f"{town}落实通知", town, f"{town}办事处", "2019年3月21日", did,
                        _tasks(family, t_units, did, d_tighten + rng.randint(0, 1), 12)), encoding="utf-8")
            files += 1
        if town_units_text:
            (units_dir / f"{dname}-街道.units").write_text("".join(town_units_text), encoding="utf-8")
            files += 1
        total_tasks += tasks * (1 + townships)
    return {"files": files, "tasks": total_tasks, "policies": 1 + districts * (1 + townships)}


def copy_seed(out: Path) -> dict:
    """The repository's own corpus (policies/ and its registry) as a project folder, for the seed-size runs."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(REPO / "policies", out / "policies")
    (out / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "policies"\noutput = "build"\n', encoding="utf-8")
    files = [p for p in (out / "policies").rglob("*") if p.suffix in (".policy", ".units")]
    return {"files": len(files), "policies": sum(p.suffix == ".policy" for p in files)}


def completion_data(project: Path, rows: int, seed: int, out: Path | None = None) -> dict:
    """`rows` completion rows for the project's corpus as Parquet (see the module doc); returns what was made."""
    import duckdb

    project = project.resolve()
    out = (out or project / "completion.parquet").resolve()
    base = project / "bench-base.parquet"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "luoshi", "sample-data", "-o", str(base), "--seed", str(seed), "--force",
                    "--lang", "en"], cwd=project, check=True, capture_output=True)
    shutil.move(base.with_name(base.stem + ".violations.json"), out.with_name(out.stem + ".violations.json"))
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    natural = con.execute(f"SELECT count(*) FROM read_parquet('{base}')").fetchone()[0]
    reports = con.execute(f"SELECT count(*) FROM read_parquet('{base}') WHERE 案件 IS NULL").fetchone()[0]
    copies = max(0, -(-(rows - natural) // max(reports, 1)))
    # copy 0 is the natural data; copies 1… repeat the report rows with a numbered note, cut to `rows` in all
    con.execute(f"""
        COPY (
          SELECT * EXCLUDE (k) FROM (
            SELECT *, 0 AS k FROM read_parquet('{base}')
            UNION ALL
            SELECT 政策, 任务, 单位, 范围, 状态, 日期, 指标, 数值, concat('第', k, '次汇总') AS 备注, 案件, 事件, k
            FROM read_parquet('{base}') AS b, range(1, {copies} + 1) AS r(k) WHERE b.案件 IS NULL
          ) ORDER BY k LIMIT {rows}
        ) TO '{out}' (FORMAT parquet, COMPRESSION zstd)""")
    base.unlink()
    made = con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0]
    return {"data": str(out), "rows": made, "natural_rows": natural, "seconds": round(time.perf_counter() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", choices=["seed", *SIZES], help="a preset size; overrides --districts/--townships/--tasks")
    parser.add_argument("--districts", type=int, default=4)
    parser.add_argument("--townships", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=int, metavar="ROWS", help="also write OUT/completion.parquet with ROWS rows")
    args = parser.parse_args()
    if args.size == "seed":
        print(copy_seed(args.out))
    else:
        shape = SIZES[args.size] if args.size else (args.districts, args.townships, args.tasks)
        print(generate(args.out, *shape, args.seed))
    if args.data:
        print(completion_data(args.out, args.data, args.seed))


if __name__ == "__main__":
    main()
