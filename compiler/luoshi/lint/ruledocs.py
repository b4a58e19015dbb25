"""What each rule is for, with a minimal example that triggers it (`bad`) and its fix (`good`).

The examples are real DSL: `docs/rules.md` shows the finding luoshi actually reports on `bad`, and the tests
check that `bad` triggers the rule and `good` does not, so the reference cannot drift from the code.
Each example is one file compiled with `EXAMPLE_REGISTRY` (unless it brings its own registry); LS392's are
pyproject.toml files. `CHECK_DOCS` documents the compiler's own checks on the chain (LS204 links to missing
tasks, LS203, LS208, LS209, LS219, LS220, LS222 member rings), which `luoshi lint` reports alongside its rules.
"""

from __future__ import annotations

from dataclasses import dataclass

EXAMPLE_REGISTRY = '''角色 民政 "民政部门"
角色 财政 "财政部门"
角色 应急 "应急管理部门"
角色 规划自然资源 "规划自然资源部门"
角色 残联 "残疾人联合会"
角色 下级政府 "下一级人民政府"
角色 政府办公室 "人民政府办公厅（室）"
辖区 重庆市 {
  类型 直辖市 层级 市级
  单位 市政府办公厅 角色 政府办公室
  单位 市民政局 角色 民政
  单位 市财政局 角色 财政
  单位 市应急局 角色 应急
  单位 市规划自然资源局 角色 规划自然资源
  单位 市残联 角色 残联
  集体 各区县政府 角色 下级政府
}
辖区 云阳县 {
  类型 县 层级 县级 上级 重庆市
  单位 县政府办公室 角色 政府办公室
  单位 县民政局 角色 民政
  单位 县财政局 角色 财政
  单位 县应急局 角色 应急
  单位 县残联 角色 残联
  集体 "各乡镇（街道）" 角色 下级政府 别名 "各乡镇、街道"
}
'''


@dataclass(frozen=True)
class RuleDoc:
    code: str
    zh: str
    en: str
    bad: str | None = None
    good: str | None = None
    registry: bool = True  # compile the examples with EXAMPLE_REGISTRY
    kind: str = "policy"   # "policy": bad/good are one DSL file; "config": a pyproject.toml holding [tool.luoshi.lint]


def _city(body: str, date: str = "2018年11月12日") -> str:
    return f'政策 city {{\n  成文日期 {date}\n  辖区 重庆市\n{body}}}\n'


def _county(body: str, header: str = "  落实 city\n", date: str = "2019年2月28日") -> str:
    return f'政策 county {{\n  成文日期 {date}\n  辖区 云阳县\n{header}{body}}}\n'


_PARENT_UNITS = _city('  任务 1 "加强自然灾害救助" {\n    牵头 市应急局\n    配合 市财政局、市规划自然资源局\n  }\n')
_PARENT_TARGET = _city('  任务 1 "提升集中供养比例" {\n    牵头 市民政局\n    目标 失能特困人员集中供养率 达到 50% 截至 2020年底\n  }\n')
_PARENT_TWO = _city('  任务 1 "加强自然灾害救助" {\n    牵头 市应急局\n    配合 市财政局\n  }\n'
                    '  任务 2 "加强资金投入" {\n    负责 市财政局\n  }\n')
_PARENT_DEADLINE = _city('  任务 1 "开展排查" {\n    牵头 市民政局\n    时限 2019年6月底前\n  }\n')


def _task(units: str, extra: str = "", title: str = "", link: str = "city:1", tid: str = "1") -> str:
    return f'  任务 {tid} "{title}" {{\n    {units}\n{extra}    落实 {link}\n  }}\n'


DOCS: list[RuleDoc] = [
    RuleDoc("LS301",
            "每项任务（阶段）都要有单位负责：自己写明「牵头」「负责」或「配合」，或由子任务写明。没有单位的任务无人落实。",
            "Every task or phase needs units: its own 牵头, 负责 or 配合, or its sub-tasks'. A task without one is nobody's job.",
            bad=_county('  任务 1 "建立帮扶平台" {\n    原文 """建立帮扶平台。"""\n  }\n', header=""),
            good=_county('  任务 1 "建立帮扶平台" {\n    原文 """建立帮扶平台。"""\n    牵头 "各乡镇、街道"\n  }\n', header="")),
    RuleDoc("LS302",
            "牵头单位应当唯一且明确。两个以上单位「负责」而无人「牵头」，或由整个群组（联席会议成员单位）牵头时，实际由谁召集、由谁报告并不清楚。",
            "A task needs one clear lead. Several co-responsible units with no lead, or a whole group (the members of a joint meeting) as lead, leave open who convenes and who reports.",
            bad=_county('  任务 1 "加强最低生活保障" {\n    负责 县民政局、县财政局\n  }\n', header=""),
            good=_county('  任务 1 "加强最低生活保障" {\n    牵头 县民政局\n    配合 县财政局\n  }\n', header="")),
    RuleDoc("LS303",
            "政策只能给本辖区及其下级的单位分派任务：县里的文件不能让市级部门牵头，也不能给别的区县分派工作。",
            "A policy assigns work within its own jurisdiction and below: a county's document cannot make a city bureau lead, nor assign work to another county.",
            bad=_county('  任务 1 "加强最低生活保障" {\n    牵头 市民政局\n  }\n', header=""),
            good=_county('  任务 1 "加强最低生活保障" {\n    牵头 县民政局\n  }\n', header="")),
    RuleDoc("LS304",
            "同一单位不能既牵头（负责）又配合同一项任务；通常是抄录责任单位时重复了。",
            "A unit cannot both lead (or answer for) a task and cooperate on it; usually a unit was copied twice.",
            bad=_county('  任务 1 "加强最低生活保障" {\n    牵头 县民政局\n    配合 县民政局、县财政局\n  }\n', header=""),
            good=_county('  任务 1 "加强最低生活保障" {\n    牵头 县民政局\n    配合 县财政局\n  }\n', header="")),
    RuleDoc("LS305",
            "时限和目标日期不能早于成文日期（无法落实），子任务的时限不能晚于所属任务或阶段的时限，也不能晚于本政策实施步骤的结束日期。",
            "A deadline or target date cannot fall before the issue date (it cannot be met), nor after the end of the task or phase it belongs to, nor after the end of the policy's own phases.",
            bad=_county('  任务 1 "开展排查" {\n    牵头 县民政局\n    时限 2018年12月底前\n  }\n', header=""),
            good=_county('  任务 1 "开展排查" {\n    牵头 县民政局\n    时限 2019年12月底前\n  }\n', header="")),
    RuleDoc("LS306",
            "实施步骤的各阶段应首尾相接：后一阶段从前一阶段结束的次日开始。空档或重叠通常是日期抄错。",
            "The phases of a schedule follow each other: each starts the day after the one before ends. A gap or an overlap is usually a miscopied date.",
            bad=_county('  阶段 1 "启动部署阶段" {\n    负责 "各乡镇、街道"\n    时限 2019年3月底前\n  }\n'
                        '  阶段 2 "精准对象阶段" {\n    负责 "各乡镇、街道"\n    时限 2019年5月至2019年8月底\n  }\n', header=""),
            good=_county('  阶段 1 "启动部署阶段" {\n    负责 "各乡镇、街道"\n    时限 2019年3月底前\n  }\n'
                         '  阶段 2 "精准对象阶段" {\n    负责 "各乡镇、街道"\n    时限 2019年4月至2019年8月底\n  }\n', header="")),
    RuleDoc("LS307",
            "同一指标在相同范围、条件和日期下只应有一个目标。数值相同是重复，数值不同是冲突（下限低于上限的区间除外）。",
            "One metric, for one scope, condition and date, has one target: the same value twice is a duplicate, different values conflict (a floor below a ceiling is a range, not a conflict).",
            bad=_county('  任务 1 "提升集中供养比例" {\n    牵头 县民政局\n    目标 失能特困人员集中供养率 达到 40% 截至 2019年底\n'
                        '    目标 失能特困人员集中供养率 达到 50% 截至 2019年底\n  }\n', header=""),
            good=_county('  任务 1 "提升集中供养比例" {\n    牵头 县民政局\n    目标 失能特困人员集中供养率 达到 40% 截至 2019年底\n'
                         '    目标 失能特困人员集中供养率 达到 50% 截至 2020年底\n  }\n', header="")),
    RuleDoc("LS310",
            "本级政策「落实」一份已编码的上级政策时，上级的每项任务都要由本级某项任务「落实」，或用「不予落实 上级:任务 \"理由\"」明确说明不落实及其理由。"
            "整项落实的任务覆盖其子任务；只落实部分子任务时，报告未落实的子任务。",
            "When a policy implements an encoded parent, each parent task is implemented by some child task (落实) or set aside with a reason (不予落实 parent:task \"reason\"). "
            "Implementing a measure covers its sub-tasks; implementing only some sub-tasks reports the rest.",
            bad=_PARENT_TWO + _county(_task("牵头 县应急局\n    配合 县财政局", title="加强自然灾害救助")),
            good=_PARENT_TWO + _county(_task("牵头 县应急局\n    配合 县财政局", title="加强自然灾害救助"),
                                       header='  落实 city\n  不予落实 city:2 "资金由县财政统一安排，另文下达"\n')),
    RuleDoc("LS311",
            "上级任务的牵头单位，在本级应由其对应单位（单位名录中角色相同、属于本级辖区或其下级的单位）牵头；"
            "没有牵头单位时，看「负责」单位；本级文件的发文机关也算（区民政局发给各镇街的通知，由区民政局组织落实）。"
            "市民政局牵头的任务，县里应由县民政局牵头；各区县政府（下级政府）对应各乡镇（街道）或本级政府办公室。",
            "The unit that leads a parent task leads the child task through its counterpart: the unit with the same role (角色) in the child's jurisdiction or below "
            "(its 负责 units when it names no lead; the child's issuer counts too: a notice from 区民政局 to its 各镇街 is organised by 区民政局). "
            "A task led by 市民政局 is led by 县民政局 in a county; 各区县政府 (lower governments) maps to 各乡镇（街道） or the county's own government office.",
            bad=_city('  任务 1 "加强最低生活保障" {\n    牵头 市民政局\n    配合 市财政局\n  }\n')
            + _county(_task("牵头 县财政局\n    配合 县民政局", title="加强最低生活保障")),
            good=_city('  任务 1 "加强最低生活保障" {\n    牵头 市民政局\n    配合 市财政局\n  }\n')
            + _county(_task("牵头 县民政局\n    配合 县财政局", title="加强最低生活保障"))),
    RuleDoc("LS312",
            "上级任务点名的每个单位（牵头、负责、配合）在本级都应有对应单位（本级发文机关也算）。本级确实没有对应部门的，用忽略注释写明理由，"
            "如 `# luoshi: ignore[LS312] 本县无规划自然资源部门`。",
            "Every unit a parent task names (lead, responsible, cooperating) has a counterpart in the child (its issuer included). Where the child's area has no such body, suppress with the reason, "
            "e.g. `# luoshi: ignore[LS312] no planning bureau in this county`.",
            bad=_PARENT_UNITS + _county(_task("牵头 县应急局\n    配合 县财政局", title="加强自然灾害救助")),
            good=_PARENT_UNITS + _county('  # luoshi: ignore[LS312] 本县无规划自然资源部门\n' + _task("牵头 县应急局\n    配合 县财政局", title="加强自然灾害救助"))),
    RuleDoc("LS313",
            "本级任务中有上级任务没有的单位（提示）：常是本级合理的补充，如把送养任务交给各乡镇（街道）；值得核对一下是否有意为之。",
            "A child task names a unit with no counterpart in the parent task (information): often a sound local addition, worth a look all the same.",
            bad=_city('  任务 1 "加强最低生活保障" {\n    牵头 市民政局\n  }\n') + _county(_task("牵头 县民政局\n    配合 县残联", title="加强最低生活保障")),
            good=_city('  任务 1 "加强最低生活保障" {\n    牵头 市民政局\n    配合 市残联\n  }\n') + _county(_task("牵头 县民政局\n    配合 县残联", title="加强最低生活保障"))),
    RuleDoc("LS314",
            "本级目标不能弱于上级的同一指标：下限不能更低（达到、不低于）、上限不能更高（不超过、控制在）、提高或降低的幅度不能更小、完成日期不能更晚。",
            "A child target on the parent's metric is no weaker: no lower floor, no higher ceiling, no smaller increase or decrease, no later date.",
            bad=_PARENT_TARGET + _county(_task("牵头 县民政局", "    目标 失能特困人员集中供养率 达到 40% 截至 2020年底\n", title="提升集中供养比例")),
            good=_PARENT_TARGET + _county(_task("牵头 县民政局", "    目标 失能特困人员集中供养率 达到 50% 截至 2020年底\n", title="提升集中供养比例"))),
    RuleDoc("LS315",
            "上级任务的每个数量目标，在落实它的本级任务中都应有同一指标的目标。",
            "Each quantitative target of a parent task has a target on the same metric in the child tasks that implement it.",
            bad=_PARENT_TARGET + _county(_task("牵头 县民政局", title="提升集中供养比例")),
            good=_PARENT_TARGET + _county(_task("牵头 县民政局", "    目标 失能特困人员集中供养率 达到 50% 截至 2020年底\n", title="提升集中供养比例"))),
    RuleDoc("LS316",
            "本级时限不能晚于上级：截止日期不能更晚，期间不能开始得更晚或结束得更晚，定期工作不能更少，「从…起…日内」不能更长；给予的期限（如渐退期）不能更短，期限上限不能更长。",
            "A child deadline is no later than the parent's: no later due date, no period starting or ending later, no less frequent recurrence, no longer event limit; a term granted (e.g. a grace period) is no shorter and a capped term no longer.",
            bad=_PARENT_DEADLINE + _county(_task("牵头 县民政局", "    时限 2019年9月底前\n", title="开展排查")),
            good=_PARENT_DEADLINE + _county(_task("牵头 县民政局", "    时限 2019年5月底前\n", title="开展排查"))),
    RuleDoc("LS317",
            "上级任务的每个时限（期限），在落实它的本级任务中都应有对应的时限（期限）。",
            "Each deadline (or term) of a parent task has a counterpart in the child tasks that implement it.",
            bad=_PARENT_DEADLINE + _county(_task("牵头 县民政局", title="开展排查")),
            good=_PARENT_DEADLINE + _county(_task("牵头 县民政局", "    时限 2019年6月底前\n", title="开展排查"))),
    RuleDoc("LS318",
            "落实文件的成文日期不能早于被落实的上级文件。",
            "A policy cannot be dated before the document it implements.",
            bad=_city('  任务 1 "开展排查" {\n    牵头 市民政局\n  }\n', date="2019年3月1日") + _county(_task("牵头 县民政局", title="开展排查")),
            good=_city('  任务 1 "开展排查" {\n    牵头 市民政局\n  }\n', date="2019年1月10日") + _county(_task("牵头 县民政局", title="开展排查"))),
    RuleDoc("LS319",
            "落实关系从上级指向下级，不能形成循环；循环说明某个「落实」写反了。任务级的「落实」也计入。",
            "Implementation runs from parent to child and cannot loop; a loop means some 落实 points the wrong way. Task-level links count too.",
            bad='政策 a {\n  辖区 重庆市\n  落实 b\n}\n政策 b {\n  辖区 云阳县\n  落实 a\n}\n',
            good='政策 a {\n  辖区 重庆市\n}\n政策 b {\n  辖区 云阳县\n  落实 a\n}\n'),
    RuleDoc("LS320",
            "任务的「落实 上级:任务」须与政策一级的「落实 上级」一致，须指向分派工作的任务（不是条款）；「不予落实」须写明理由，须针对本政策所落实的文件，且不能同时被落实。",
            "A task's 落实 parent:task agrees with the policy's own 落实 parent and points at work, not a clause; a 不予落实 waiver gives a reason, concerns a document the policy implements, and is not also implemented.",
            bad=_city('  任务 1 "开展排查" {\n    牵头 市民政局\n  }\n') + _county(_task("牵头 县民政局", title="开展排查"), header=""),
            good=_city('  任务 1 "开展排查" {\n    牵头 市民政局\n  }\n') + _county(_task("牵头 县民政局", title="开展排查"))),
    RuleDoc("LS330",
            "单位名录中声明了、却没有任何政策用到的单位（提示）。名录可为将来的政策预先登记单位，因此只作提示。",
            "A unit the registry declares that no policy names (information). A registry may list units ahead of the policies that will use them, hence only information.",
            bad='角色 民政 "民政部门"\n辖区 云阳县 {\n  类型 县 层级 县级\n  单位 县民政局 角色 民政\n  单位 县统计局\n}\n'
                '政策 county {\n  辖区 云阳县\n  任务 1 "加强最低生活保障" {\n    牵头 县民政局\n  }\n}\n',
            good='角色 民政 "民政部门"\n辖区 云阳县 {\n  类型 县 层级 县级\n  单位 县民政局 角色 民政\n}\n'
                 '政策 county {\n  辖区 云阳县\n  任务 1 "加强最低生活保障" {\n    牵头 县民政局\n  }\n}\n',
            registry=False),
    RuleDoc("LS331",
            "同一名称（或别名）在某辖区和其上级辖区中指不同角色的单位时，下级政策写这个名称会悄悄得到本级的单位。互为对应单位（角色相同）的同名单位不算。",
            "When a name or alias means units of different roles in a jurisdiction and in one of its ancestors, a lower policy writing it silently gets its own unit. Namesakes with the same role (counterparts) are fine.",
            bad='角色 政府部门 "政府部门"\n角色 有关单位 "有关单位"\n'
                '辖区 重庆市 {\n  类型 直辖市 层级 市级\n  集体 市政府各部门 角色 政府部门 别名 有关部门\n}\n'
                '辖区 云阳县 {\n  类型 县 层级 县级 上级 重庆市\n  集体 有关单位 角色 有关单位 别名 有关部门\n}\n',
            good='角色 政府部门 "政府部门"\n角色 有关单位 "有关单位"\n'
                 '辖区 重庆市 {\n  类型 直辖市 层级 市级\n  集体 市政府各部门 角色 政府部门 别名 有关部门\n}\n'
                 '辖区 云阳县 {\n  类型 县 层级 县级 上级 重庆市\n  集体 有关单位 角色 有关单位\n}\n',
            registry=False),
    RuleDoc("LS332",
            "既不落实任何文件、也没有被任何政策落实的政策（提示）：通常是漏写了它所贯彻的上级文件。上级文件未编码时，可用「文件」声明后再「落实」。",
            "A policy that implements nothing and that nothing implements (information): usually the parent it carries out was left unsaid. Declare an unencoded parent with 文件 and 落实 it.",
            bad=_county('  任务 1 "加强最低生活保障" {\n    牵头 县民政局\n  }\n', header=""),
            good='文件 ymf-2018-1 {\n  文号 "渝民发〔2018〕1号"\n}\n' + _county('  任务 1 "加强最低生活保障" {\n    牵头 县民政局\n  }\n', header="  落实 ymf-2018-1\n")),
    RuleDoc("LS333",
            "集体（各乡镇（街道）、县政府各部门）牵头或负责任务，而单位登记中没有列出它的成员（无论成员是在 .units 文件中声明的，还是由区划登记派生的）：集体的任务由每个成员承担，没有成员时 `luoshi comply` 无法按成员核查，成员单位的报告也不计入。每个政策、每个集体只在它第一次被指派处报告一次。",
            "A collective (各乡镇（街道）, 县政府各部门) leads or is responsible for a task while the registry lists none of its members (declared in a .units file or derived from the registry of divisions): a collective's duty is each member's, so without members `luoshi comply` can check no one member by member and no member's report counts. Reported once per policy and collective, where it is first assigned.",
            bad='角色 工作组 "专项工作组"\n辖区 云阳县 {\n  类型 县 层级 县级\n  单位 县民政局\n'
                '  集体 "各专项工作组" 角色 工作组\n}\n'
                '政策 county {\n  成文日期 2019年2月28日\n  辖区 云阳县\n  任务 1 "开展排查" {\n    牵头 县民政局\n    负责 "各专项工作组"\n  }\n}\n',
            good='角色 工作组 "专项工作组"\n辖区 云阳县 {\n  类型 县 层级 县级\n  单位 县民政局\n  单位 县财政局\n'
                 '  集体 "各专项工作组" 角色 工作组 成员 县民政局、县财政局\n}\n'
                 '政策 county {\n  成文日期 2019年2月28日\n  辖区 云阳县\n  任务 1 "开展排查" {\n    牵头 县民政局\n    负责 "各专项工作组"\n  }\n}\n',
            registry=False),
    RuleDoc("LS390",
            "忽略注释必须写明理由，写在「]」之后；没有理由的忽略注释不起作用。",
            "A suppression comment needs its reason after ']'; without one it suppresses nothing.",
            bad=_county('  任务 1 "加强最低生活保障" {\n    负责 县民政局、县财政局  # luoshi: ignore[LS302]\n  }\n', header=""),
            good=_county('  任务 1 "加强最低生活保障" {\n    负责 县民政局、县财政局  # luoshi: ignore[LS302] 原文未指定牵头单位\n  }\n', header="")),
    RuleDoc("LS391",
            "忽略注释所在处（行尾，或紧接的下一行）没有它列出的问题，或列出的不是 lint 规则代码；问题解决后请删去注释。",
            "A suppression that matches no finding on its line (or the next line, for a comment on its own line), or names no lint code; remove it once the finding is gone.",
            bad=_county('  任务 1 "加强最低生活保障" {\n    牵头 县民政局  # luoshi: ignore[LS302] 原文未指定牵头单位\n  }\n', header=""),
            good=_county('  任务 1 "加强最低生活保障" {\n    牵头 县民政局\n  }\n', header="")),
    RuleDoc("LS392",
            "pyproject.toml 的 `[tool.luoshi.lint]` 中有无效设置：未知的配置项、不是 lint 规则的代码、无效的严重程度。错误指向所在行。",
            "An invalid setting in `[tool.luoshi.lint]` of pyproject.toml: an unknown key, a code that is no lint rule, an unknown severity. The error points at the line.",
            bad='[tool.luoshi.lint]\ndisable = ["LS999"]\nseverity = { LS302 = "fatal" }\n',
            good='[tool.luoshi.lint]\ndisable = ["LS313"]\nseverity = { LS302 = "error" }\n',
            kind="config"),
]

CHECK_DOCS: list[RuleDoc] = [
    RuleDoc("LS203",
            "两个政策或文件用了同一个编号。每一处声明各报一个错误，互相指明另一处；只有（按文件顺序）第一处被编入模型，"
            "指向该编号的「落实」按第一处解析，第一处没有的任务不再另报 LS204（可能是另一处的任务），两处的文号相同也不再另报 LS221。"
            "改掉其中一处的编号后，这些引用才会得到检查。",
            "Two policies or documents with one id. Each declaration gets one error naming the other; only the first in "
            "file order enters the model, a 落实 naming the id resolves against it, and a task it lacks is not reported "
            "again as LS204 (it may be the other's), nor the 文号 they share as LS221. Rename one, and those links are "
            "checked again.",
            bad=_city('  任务 1 "开展排查" {\n    牵头 市民政局\n  }\n')
            + _city('  任务 1 "开展排查" {\n    牵头 市民政局\n  }\n  任务 2 "建立台账" {\n    牵头 市民政局\n  }\n')
            + _county(_task("牵头 县民政局", title="建立台账", link="city:2")),
            good=_city('  任务 1 "开展排查" {\n    牵头 市民政局\n  }\n  任务 2 "建立台账" {\n    牵头 市民政局\n  }\n')
            + _county(_task("牵头 县民政局", title="建立台账", link="city:2"))),
    RuleDoc("LS204",
            "「落实」「不予落实」「引用」指向不存在的政策或任务：链条在此断开。这是 `luoshi check` 的错误，`luoshi lint` 同样报告，基线和忽略注释都不能忽略它。",
            "A 落实, 不予落实 or 引用 pointing at a policy or task that does not exist: the chain is broken there. An error of `luoshi check`, reported by `luoshi lint` too; neither the baseline nor a suppression hides it.",
            bad=_city('  任务 1 "开展排查" {\n    牵头 市民政局\n  }\n') + _county(_task("牵头 县民政局", title="开展排查", link="city:9")),
            good=_city('  任务 1 "开展排查" {\n    牵头 市民政局\n  }\n') + _county(_task("牵头 县民政局", title="开展排查"))),
    RuleDoc("LS208",
            "同一辖区内两个单位用了相同的名称或别名：写这个名称的政策无法确定指哪个单位。（上下级辖区之间的同名见 LS331。）",
            "Two units of one jurisdiction share a name or alias: a policy writing it cannot say which unit it means. (Namesakes up and down a line of jurisdictions: LS331.)",
            bad='辖区 云阳县 {\n  类型 县 层级 县级\n  单位 县民政局 别名 民政局\n  单位 县财政局 别名 民政局\n}\n',
            good='辖区 云阳县 {\n  类型 县 层级 县级\n  单位 县民政局 别名 民政局\n  单位 县财政局 别名 财政局\n}\n',
            registry=False),
    RuleDoc("LS209",
            "政策写明的层级与其辖区的层级不符（县的文件写成「市级」）。责任单位的层级由辖区决定，越级的单位见 LS303。",
            "A policy's stated level differs from its jurisdiction's (a county document marked 市级). Units take their level from their jurisdiction; units above the policy's: LS303.",
            bad=_county("", header="  层级 市级\n"),
            good=_county("", header="  层级 县级\n")),
    RuleDoc("LS222",
            "群组或集体直接或经由其他群组把自己列为成员（甲组 成员 乙组；乙组 成员 甲组）：成员无从展开到具体单位。错误指向闭合循环的那个「成员」，并写出整个循环；该成员不计入模型。",
            "A group or collective among its own members, directly or through others (甲组 成员 乙组; 乙组 成员 甲组): its members never come down to units. The error is on the 成员 entry closing the ring and names the whole ring; that entry is left out of the model.",
            bad='角色 联席 "联席会议"\n角色 民政 "民政部门"\n辖区 云阳县 {\n  类型 县 层级 县级\n  单位 县民政局 角色 民政\n'
                '  群组 甲组 角色 联席\n    成员 乙组\n  群组 乙组 角色 联席\n    成员 甲组、县民政局\n}\n',
            good='角色 联席 "联席会议"\n角色 民政 "民政部门"\n辖区 云阳县 {\n  类型 县 层级 县级\n  单位 县民政局 角色 民政\n'
                 '  群组 甲组 角色 联席\n    成员 乙组\n  群组 乙组 角色 联席\n    成员 县民政局\n}\n',
            registry=False),
    RuleDoc("LS219",
            "一项任务写了两个以上「牵头」单位：牵头单位应当唯一（另见 LS302：共同负责而无人牵头）。",
            "A task with two or more 牵头 units: a task has one lead (see also LS302: co-responsible units and no lead).",
            bad=_county('  任务 1 "加强最低生活保障" {\n    牵头 县民政局、县财政局\n  }\n', header=""),
            good=_county('  任务 1 "加强最低生活保障" {\n    牵头 县民政局\n    配合 县财政局\n  }\n', header="")),
    RuleDoc("LS220",
            "政策「落实」或「引用」它自己：最短的落实循环（更长的循环见 LS319）。",
            "A policy that implements or cites itself: the shortest implementation loop (longer loops: LS319).",
            bad=_county("", header="  落实 county\n"),
            good=_city("") + _county("")),
]


def doc(code: str) -> RuleDoc | None:
    """The doc of a lint rule, or of a chain check of `luoshi check` (CHECK_DOCS)."""
    return next((d for d in (*DOCS, *CHECK_DOCS) if d.code == code), None)
