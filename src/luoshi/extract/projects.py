"""Named projects, parks, plants, facilities and events with a promised step.

A project item needs three things in one clause:

* a *stage*: the promised step, in the text's own word — either after the names
  (…项目年底前开工, …前期工作, …建成开放, …建设) or before them (开工建设…, 加快推进…,
  举办…);
* one or more *names*: the object of the stage, a list joined by 、/和/及 whose members
  end in a facility noun (…项目, …产业园, …基地, …电站, …高铁, …大会) or are
  gathered by a trailing 等…项目/工程 (云栖谷、望江台等文旅项目); a strong step
  (前期工作, 开工, 投入使用) needs no facility noun;
* no sign that the step is already done (已开工, 正在建设 are reports, not promises), and
  no review paragraph around it (see :mod:`luoshi.extract.tense`).

Categories (老旧小区改造, 一批…), quoted programme names (“…工程”), numbered formulas
(两港一中心) and sizes (…150公里) are not projects.

Lists sharing a suffix expand to one project each: 青石河、白鹭湾抽蓄项目 → 青石河抽蓄项目,
白鹭湾抽蓄项目. A deadline (年内, 如期, 2025年, 早日, 尽快) is taken as written from the
clause.
"""

from __future__ import annotations

import re
from functools import lru_cache

from luoshi.extract.clauses import Clause, Found
from luoshi.extract.lexicon import HAN_CHAR, clauses_holding
from luoshi.extract.matching import scan_finditer
from luoshi.extract.tense import STRONG_CUE, paragraph_tense

# Steps written after the names, longest first.
STAGE_AFTER = (
    "开工建设",
    "建成投产",
    "竣工投产",
    "建成开放",
    "建成通车",
    "建成运营",
    "全线贯通",
    "投入使用",
    "投入运营",
    "交付使用",
    "并网发电",
    "达产达效",
    "前期工作",
    "开复工",
    "投用",
    "投运",
    "并网",
    "达产",
    "完工",
    "封顶",
    "开工",
    "竣工",
    "投产",
    "建成",
    "开放",
    "签约",
    "落地",
    "全线通车",
    "通车",
    "开通",
    "获批",
    "建设",
)
# What may come before the names when the step is written after them (晋江将推动…开工).
LEAD = re.compile(
    r"(?:[\u4e00-\u9fff]{2,8}?(?=将|要|还将|今年将|今年要))?"
    r"(?:今年|年内|将|要|还将|全力|加快|加速|积极|稳步|力争|确保|争取|推动|促进|力促|努力|全年|同时|并)*"
)
# Steps written before the names: (cue pattern, stage word it reports).
_STAGE_BEFORE_WORDS = (
    r"开工建设|新开工|开工|建成投用|建成投产|建成开放|建成使用|建成运营|建成|竣工|投产|启动建设|启动|推进|加快推进|加快建设|加快|稳步推进|"
    r"全力推进|扎实推进|积极推进|重点推进|持续推进|大力推进|抓好|抓紧|打造|建设|新建|建好|建立|举办好?|"
    r"办好|承办|筹办|开通|服务保障好?|谋划|跟踪|重点跟踪|实施|争取|合作建设|融入|"
    r"规划建设|布局建设|引进|落地|完成"
)
STAGE_BEFORE = re.compile(
    r"(?:[\u4e00-\u9fff]{2,8}?(?=将|要|还将|今年将|今年要))?"
    r"(?:突出|重点|接续|继续|全面|深入|高水平|高标准|常态化|进一步|同时|并|要|将|还将|即将|年内|今年|尽快|"
    r"我们将|我们要|全年|适时|加大力度|不懈|如期|按期|年底前|举全[市县区省州旗]之力)*"
    r"(?:加快|加速|全力|稳步|积极|扎实|重点|持续|大力|着力|抓紧|力争|确保|争取|推动|主动)*"
    rf"(?P<stage>{_STAGE_BEFORE_WORDS})"
)
# Every promised step holds one of these words (a step after the names is one, a step
# before them ends in one): a clause without any is skipped (see find_projects).
_ANY_STAGE_WORD = re.compile("|".join(STAGE_AFTER) + "|" + _STAGE_BEFORE_WORDS)
# Facility and event nouns a project name ends with.
FACILITY = re.compile(
    r"(?:项目|产业园区?|工业园区?|科技园|物流园|园区|合作区|集聚区|片区|基地|电站|"
    r"电厂|工程|中心|综合体|广场|高铁|铁路|公路|国道|省道|高速|机场|港区?|陆港|码头|水库|大桥|隧道|"
    r"管网|通道|(?:连接|环|号|公交|专|干|支)线|路(?<![道思出线套电]路)|栈桥|街区|厂|物流港|生态村|小镇|(?:科技|科创|科学|产业|商贸|物流|会展)城|馆|医院|学校|论坛|"
    r"(?:运动|博览|交易|展销|推介|洽谈|峰|大|年|发布)会|会议|节|游|景区|[一二三四五六七八九十]期|"
    r"改造|改造提升|提升改造|修复|整治|综合治理|"
    r"段(?<![阶地手时]段)|[GS]\d{1,4})$"
)
_FACILITY_INNER = re.compile(FACILITY.pattern.removesuffix("$"))
# Stages strong enough that the object need not end in a facility noun (北岭钼矿前期工作).
STRONG_STAGES = frozenset(
    {
        "并网发电",
        "并网",
        "投运",
        "交付使用",
        "前期工作",
        "开复工",
        "开工",
        "竣工",
        "投产",
        "竣工投产",
        "建成投产",
        "投入使用",
        "建成开放",
        "建成通车",
        "全线贯通",
        "开工建设",
        "签约",
        "获批",
    }
)
# Words that show the phrase is a sentence about people or actions, not a name.
NOT_A_NAME = re.compile(
    r"调研|考察|视察|书记|市长|县长|区长|主任|对接|融入|推动|加强|听取|情况|"
    r"抓好|推进|加快|实施|开展|时间|推迟|计划|季度|[一二三四五六七八九十两][项个大条]|一个|一批|一些|若干"
)
# Names that are categories, not named projects.
GENERIC_START = re.compile(
    r"^(?:一批|一些|重点|重大|各类|各项|相关|更多|全市|全县|全区|全省|我市|我县|我区|本地|老旧|新型基础设施|"
    r"基础设施|产业|项目|这些|其他|其它|上述|所有|城乡|农村|乡村|公共|民生|新一代|一系列|若干|现代|高标准|"
    r"高水平|高质量|数字|智慧|优质|特色|骨干|标志性|示范|市政|中小|先进|重要|主要)"
)
GENERIC_NAME = re.compile(
    r"^(?:[^\s]{0,2}(?:项目|工程|园区|基地|产业园|开发区|新区|示范区|综合治理|治理|改造|修复|整治)|[^\s]{0,1}中心)$"
)
# The step is already done or under way: a report. (Look-behinds here and in FACILITY
# come after their first character, 目前(?<!项目前), so the regex keeps its fast scan.)
DONE = re.compile(
    r"已经|已|正在|正加快|正抓紧|目前(?<!项目前)|顺利|顺畅|创下|先后|相继|去年|上年|今年以来|累计|完成了|建成了|开工了|投产了|获批了|成功"
)
DEADLINE = re.compile(
    r"(?:今年|明年|\d{4}年)?(?:[一二三四]季度|上半年|下半年|年?底前|年?底|[一二三四五六七八九十\d]{1,2}月(?:底前|底|前)?)|"
    r"年内|今年|明年|如期|按期|早日|尽快|即将|\d{4}年(?:前)?"
)
_DEADLINE_START = re.compile(r"[今明\d一二三四五六七八九十上下年底如按早尽即]")  # for scan_finditer
NUMBERED_PROGRAMME = re.compile(
    r"^[一二三四五六七八九十两](?:[个大项条]|[^一二三四五六七八九十]{1,3}[一二三四五六七八九十])"
)
ENDS_WITH_AMOUNT = re.compile(r"[\d.]+[万亿]?(?:元|个|公里|亩|吨|人|家|户|项|美元)$")
# A clause that is nothing but a promised step: 力争2025年投入使用, 确保年内开工.
NEXT_STEP = re.compile(
    r"(?:确保|力争|争取|计划|推动|努力|并|尽快|实现)*(?P<deadline>" + DEADLINE.pattern + r")?"
    r"(?:全面|正式|建成并?)?(?P<stage>" + "|".join(STAGE_AFTER) + r")"
)
_LIST_SEP = re.compile(r"、|和|及|以及|与")
_LIST_SPLIT = re.compile(f"({_LIST_SEP.pattern})")
_ETC_TAIL = re.compile(
    r"等(?:[一二三四五六七八九十\d]+个)?(?:一批)?(?P<kind>[\u4e00-\u9fff]{0,16}?)"
    r"(?:项目|工程|综合体|园区|机场|基地|场馆|景区|活动|平台)"
)
_CATEGORY_LIST = re.compile(r"等(?:重点)?(?:任务|工作|领域|方面|问题|行业|产业|环节)")
_CATEGORY_KIND = re.compile(r"设施|领域|方面|行业|基础|任务|平台")
_NAME_MAX = 30
_NAME_MIN = 3
_BAD_CHARS = re.compile(r"[的在,，。；：!?！？]|我们|进一步|不断|全面|着力|加快|推动|推进|实现")


_LEADING_STAGE_WORDS = re.compile(
    r"^(?:(?:确保|力争|力促|争取|推动|推进|加快|加速|全力|稳步|积极|扎实|重点|持续|大力|启动|抓好|抓紧|着力|"
    r"实施|接续|做好|开工|建设|新建|建成|落实|完善|谋划|跟踪|打造|主动|服务|融入|好|加大力度|将|要|今年)+)"
)
_TRAILING_STAGE_WORD = (
    r"(?:建设|前期工作|开工|竣工|投产|投用|建成|开放|签约|落地|通车|开通|获批|年内|如期|按期|早日|尽快|"
    r"工作|等|并|全面)"
)
# (?:…)+$ as (?:…)(?:…)*$: the same matches, from a pattern the regex engine can skip
# through to where a stage word starts.
_TRAILING_STAGE_WORDS = re.compile(f"{_TRAILING_STAGE_WORD}{_TRAILING_STAGE_WORD}*$")


# Compiled once here rather than looked up in re's cache on every call.
_ACTION_END = re.compile(r"(?:改造|提升|修复|整治)$")
_PROGRAMME_END = re.compile(r"(?:工程|项目|行动|计划)$")
_NUMERAL_START = re.compile(r"[一二三四五六七八九十两]")
_QUOTE_MARK = re.compile(r"[“‘”’]")
_COUNT_WORD = re.compile(r"[\d一二三四五六七八九十两]+个(?=[\u4e00-\u9fff])")
_VAGUE_START = re.compile(r"(?:一批|一些|若干|一个)")
_PARK_OR_PROJECT_END = re.compile(r"园区?$|项目$")
_REPORTED = re.compile(r"已|顺利|顺畅|创下")


def _strip_stage_words(name: str) -> str:
    name = _LEADING_STAGE_WORDS.sub("", name)
    name = _TRAILING_STAGE_WORDS.sub("", name)
    return name


def _split_list(phrase: str) -> list[str]:
    """Members of a list joined by 、/和/及/与.

    A joiner with a one-character (or empty) side is part of a name (和田, 共和), so
    it is glued back instead of cutting there.
    """
    tokens = _LIST_SPLIT.split(phrase)
    out = [tokens[0]]
    for sep, piece in zip(tokens[1::2], tokens[2::2], strict=True):
        if piece == "":
            out.append("")  # two joiners in a row: the second starts the next name
        elif sep != "、" and (len(out[-1]) <= 1 or len(piece) <= 1):
            out[-1] += sep + piece
        else:
            out.append(piece)
    return [p for p in out if p]


def _expand_shared_suffix(names: list[str]) -> list[str]:
    """青石河、白鹭湾抽蓄项目 → [青石河抽蓄项目, 白鹭湾抽蓄项目]."""
    if len(names) < 2 or not FACILITY.search(names[-1]):
        return names
    last = names[-1]
    heads = names[:-1]
    if any(FACILITY.search(h) for h in heads):
        return names
    suffix = _shared_suffix(last, heads)
    if not suffix:
        return names
    return [h + suffix for h in heads] + [last]


def _parent_of_parts(names: list[str]) -> list[str]:
    """示例新机场航站区、飞行区 → [示例新机场]: a list of parts names the facility they belong to."""
    if len(names) < 2 or any(len(n) > 3 or FACILITY.search(n) for n in names[1:]):
        return names
    first = names[0]
    inner = [m for m in _FACILITY_INNER.finditer(first) if 0 < len(first) - m.end() <= 3]
    if not inner or FACILITY.search(first):
        return names
    return [first[: inner[-1].end()]]


def _shared_suffix(last: str, heads: list[str]) -> str:
    """The generic tail of the last list member (白鹭湾[抽蓄项目]) that the others share.

    The tail is the facility word, maybe with a two-character descriptor before it
    (抽蓄, 储能); the cut is put where the last member's own name is about as long as the
    other members, and nowhere when no cut fits (保护和修复工程 is no list of names).
    """
    m = FACILITY.search(last)
    if m is None or _ACTION_END.search(last):
        return ""  # an action (…改造) is not a noun the others share
    candidates = [last[m.start() :]]
    if m.start() >= 4:
        candidates.append(last[m.start() - 2 :])
    mean = sum(len(h) for h in heads) / len(heads)
    best = min(candidates, key=lambda tail: (abs(len(last) - len(tail) - mean), -len(tail)))
    own = len(last) - len(best)
    if own < 2 or any(abs(len(h) - own) > 2 for h in heads):
        return ""
    return best


# The rejections of _valid, several patterns in one so that each name is one search and
# one match: anywhere in the name (words of actions and people, quote marks), and at its
# start (categories, numbered programmes such as 两港一中心).
_NOT_A_NAME_ANYWHERE = re.compile("|".join(p.pattern for p in (_BAD_CHARS, NOT_A_NAME, _QUOTE_MARK)))
_NOT_A_NAME_START = re.compile("|".join(p.pattern for p in (GENERIC_START, GENERIC_NAME, NUMBERED_PROGRAMME)))


def _valid(name: str, in_etc_list: bool, strong_stage: bool, quoted: bool = False) -> bool:
    if not _NAME_MIN <= len(name) <= _NAME_MAX:
        return False
    if _NOT_A_NAME_ANYWHERE.search(name) or _NOT_A_NAME_START.match(name) or not HAN_CHAR.search(name):
        return False
    if quoted and (_PROGRAMME_END.search(name) or _NUMERAL_START.match(name)):
        return False  # “百县千镇万村高质量发展工程”: a named programme (a strategy)
    # (A quote mark left inside, “半截子”工程, is a colloquial label or a cut-off phrase.)
    if ENDS_WITH_AMOUNT.search(name):
        return False  # 农村公路150公里: a target, not a name
    return bool(in_etc_list or strong_stage or FACILITY.search(name))


_STAGE_AFTER_END = re.compile("(?:" + "|".join(STAGE_AFTER) + ")[“”]*$")


def _stage_after(text: str) -> tuple[str, int] | None:
    """The promised step written at the end of the clause, and where it starts."""
    m = _STAGE_AFTER_END.search(text)
    if m is None:
        return None
    word = m.group(0).rstrip("“”")
    return word, m.start()


def _project_names(phrase: str) -> tuple[list[str], bool]:
    """The project names in the object phrase, and whether they came from an 等… list."""
    if "的" in phrase:
        phrase = phrase[phrase.rindex("的") + 1 :]  # 以新城为中心的[示例种植基地]
    if "个" in phrase:
        phrase = _COUNT_WORD.sub("", phrase)  # 光伏和储能2个产业园
    etc = _ETC_TAIL.search(phrase)
    if etc is not None and _CATEGORY_KIND.search(etc.group(0)):
        return [], False  # 温泉康养、乡村民宿等旅游基础设施: categories, not names
    if etc is not None:
        parts = _split_list(phrase[: etc.start()])
        # 办好X等活动: an activity list names projects only when they are events (…大会).
        return [_strip_stage_words(p) for p in parts], "活动" not in etc.group(0)
    parts = [_strip_stage_words(p) for p in _split_list(phrase)]
    return _expand_shared_suffix([p for p in parts if p]), False


def _step_and_object(body: str) -> tuple[str, str] | None:
    """The promised step of the clause and the phrase naming what it is promised for."""
    stage: str | None = None
    phrase = ""
    after = _stage_after(body)
    before = STAGE_BEFORE.match(body)
    if after is not None and after[1] > 0:
        stage, idx = after
        if before is not None and before.end() <= idx:
            start = before.end()
        else:
            lead = LEAD.match(body)
            start = lead.end() if lead is not None and lead.end() <= idx else 0
        phrase = body[start:idx]
    elif before is not None:
        stage = before.group("stage")
        phrase = body[before.end() :]
    if not stage or not phrase:
        return None
    return stage, phrase


def _clause_projects(body: str, stage: str, phrase: str) -> list[tuple[str, str, str | None, float]]:
    """(name, stage, deadline, confidence) of each project the clause promises a step for."""
    deadlines = _deadlines(body)
    deadline = deadlines[-1].group() if deadlines else None  # the one nearest the step (今年将确保…年内开工)
    phrase = _cut(phrase, _deadlines(phrase))
    if _VAGUE_START.match(phrase) or _CATEGORY_LIST.search(phrase):
        return []  # 抓好A、B等任务 / 在A、B等领域: a list of fields of work, not of projects
    names, in_etc = _project_names(phrase)
    names = _parent_of_parts(names)
    verb = _verb_of(stage)
    out = []
    for raw_name in names:
        name = _unquote(raw_name)
        if not _valid(name, in_etc, stage in STRONG_STAGES, name != raw_name):
            continue
        if verb == "打造" and not _PARK_OR_PROJECT_END.search(name):
            continue  # 打造…中心/基地 is an ambition, 打造…产业园 a build
        out.append((name, _clean_stage(stage), deadline, 0.7 if FACILITY.search(name) else 0.5))
    return out


@lru_cache(maxsize=256)
def _verb_of(stage: str) -> str:
    """The step's verb without its adverbs (加快推进 → 推进); stages are a few words, looked up once each."""
    core = STAGE_BEFORE.fullmatch(stage)
    return core.group("stage") if core else stage


def _deadlines(text: str) -> list[re.Match[str]]:
    """``DEADLINE.finditer(text)``, tried only where a deadline can begin."""
    return list(scan_finditer(DEADLINE, _DEADLINE_START, text))


def _cut(text: str, matches: list[re.Match[str]]) -> str:
    """``text`` without the (non-overlapping, ordered) ``matches``: ``pattern.sub("", text)``."""
    if not matches:
        return text
    pieces = []
    last = 0
    for m in matches:
        pieces.append(text[last : m.start()])
        last = m.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _next_step(body: str) -> tuple[str, str | None] | None:
    """A clause that only adds the next step: 加快X建设，[力争2025年投入使用]."""
    m = NEXT_STEP.fullmatch(body)
    if m is None:
        return None
    return m.group("stage"), m.group("deadline")


def find_projects(text: str, clauses: list[Clause]) -> list[Found]:
    found: list[Found] = []
    tense = paragraph_tense(text, clauses)
    # Only clauses with a stage word can promise a step: one scan finds them (stage words
    # are letters only, see clauses_holding).
    for index in clauses_holding(_ANY_STAGE_WORD, text, clauses):
        clause = clauses[index]
        body = clause.text
        if len(body) < 4 or DONE.search(body):
            continue
        if tense.get(clause.paragraph) == "past" and not STRONG_CUE.search(body):
            continue  # a review paragraph: 建成并投入使用 reports, it does not promise
        promised = _step_and_object(body)
        projects = _clause_projects(body, *promised) if promised is not None else []
        if not projects:
            continue
        end = clause.end
        following = clauses[index + 1] if index + 1 < len(clauses) else None
        step = _next_step(following.text) if following and following.sentence == clause.sentence else None
        if step is not None and following is not None:
            end = following.end  # the evidence covers the step promised in the next clause
        for name, stage, deadline, confidence in projects:
            if step is not None:
                stage, deadline = step[0], step[1] or deadline
            found.append(
                Found(
                    kind="project",
                    fields={"name": name, "stage": stage, "deadline": deadline},
                    start=clause.start,
                    end=end,
                    confidence=confidence,
                )
            )
    return found + find_listed_projects(text, clauses)


# A project introduced with its investment: 总投资8亿元的示例印刷项目.
INVESTED_PROJECT = re.compile(
    r"(?:总投资|投资|计划投资)(?:约|近|超)?[\d.]+[万亿]?(?:元|美元)的(?P<name>[\u4e00-\u9fffA-Za-z\d()（）·]{2,24}?项目)"
)
# A promise about "the projects" as a group: 确保项目早日投产.
GROUP_PROMISE = re.compile(
    r"(?:力促|确保|推动|促进|力争|加快)(?:各|这些|上述)?项目(?P<deadline>早日|尽快|如期|年内|按期)?"
    r"(?P<stage>竣工投产|建成投产|开工建设|投产达效|投产|竣工|建成|开工)"
)


def find_listed_projects(text: str, clauses: list[Clause]) -> list[Found]:
    """Projects listed with their investment, promised a step as a group nearby.

    Ceremony reports name each project once (总投资X亿元的Y项目) and promise the next step
    for all of them in the following paragraph (确保项目早日投产).
    """
    found: list[Found] = []
    if not GROUP_PROMISE.search(text):
        return found
    by_paragraph: dict[int, list[Clause]] = {}
    for clause in clauses:
        by_paragraph.setdefault(clause.paragraph, []).append(clause)
    for paragraph, members in by_paragraph.items():
        promise = None
        for p in (paragraph, paragraph + 1):
            for clause in by_paragraph.get(p, []):
                promise = promise or GROUP_PROMISE.search(clause.text)
        if promise is None:
            continue
        for clause in members:
            if _REPORTED.search(clause.text):
                continue
            for m in INVESTED_PROJECT.finditer(clause.text):
                name = m.group("name")
                if not _valid(name, False, False):
                    continue
                found.append(
                    Found(
                        kind="project",
                        fields={
                            "name": name,
                            "stage": promise.group("stage"),
                            "deadline": promise.group("deadline"),
                        },
                        start=clause.start,
                        end=clause.end,
                        confidence=0.5,
                    )
                )
    return found


def _unquote(name: str) -> str:
    """Drop quotes that wrap the whole name (“示例合作区”); keep inner ones for the checks."""
    if len(name) > 2 and name[0] in "“‘" and name[-1] in "”’" and not _QUOTE_MARK.search(name[1:-1]):
        return name[1:-1]
    return name


def _clean_stage(stage: str) -> str:
    return stage.removesuffix("好") if stage not in ("办好", "建好", "抓好") else stage
