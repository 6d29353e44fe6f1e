"""Finding the tasks in a document: each with its title, content, lead units, co-units, deadline
and numbering path.

Prose: numbered items (一、 （一） 1. 1、 （1） ①) make a tree; an item is a task when it names
who does it — in a closing bracket
"（市发展改革委牵头，市财政局配合，2026年6月底前完成）", in labelled fields
"责任单位：…；完成时限：…" on the item's line or the lines after it, or in a leader's words
"请市交通局牵头，会同市公安局，于3月底前…". Tables: columns recognised by their headers
(序号 / 工作任务 / 牵头单位 / 责任单位 / 配合单位 / 完成时限 and synonyms); chapter rows give
the path.

Unit names are kept as written; matching them to the unit tree is the preview's work. Who leads:
"A牵头" and "A（牵头）" lead, "B配合/参与/协助/会同B" help; "A、B按职责分工负责" all lead;
"X负责/落实" leads when nobody leads yet, else helps (各区政府负责). A list under 责任单位 with no
牵头 mark follows the official convention: the unit listed first leads, the others help.
Deadlines go through the project's one parser, luoshi.lib.deadlines.parse_deadline.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from luoshi.lib import clock
from luoshi.lib.deadlines import DeadlineError, deadline_in_sentence, parse_deadline

from .reading import Block


@dataclass
class FoundTask:
    title: str
    content: str
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    due: str | None = None
    due_text: str = ""
    ongoing: bool = False
    path: list[str] = field(default_factory=list)
    lead_leader: str = ""  # 牵头领导 as written, when the document names one

    def as_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------- numbering

_CN_NUM = "一二三四五六七八九十百零〇"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_NUMBERING = [
    ("cn", re.compile(rf"^\s*([{_CN_NUM}]+)\s*、\s*")),
    ("pcn", re.compile(rf"^\s*[（(]\s*([{_CN_NUM}]+)\s*[）)]\s*")),
    ("ar", re.compile(r"^\s*(\d{1,3})\s*(?:[.．](?!\d)|、)\s*")),
    ("par", re.compile(r"^\s*[（(]\s*(\d{1,3})\s*[）)]\s*")),
    ("circ", re.compile(rf"^\s*([{_CIRCLED}])\s*")),
]


def _label(kind: str, raw: str) -> str:
    if kind in ("pcn", "par"):
        return f"（{raw}）"
    return raw


def split_numbering(text: str) -> tuple[str, str, str] | None:
    """(kind, label, rest) when the text starts with a numbering, else None."""
    for kind, pattern in _NUMBERING:
        match = pattern.match(text)
        if match and text[match.end() :].strip():
            return kind, _label(kind, match.group(1)), text[match.end() :].strip()
    return None


# ---------------------------------------------------------------- units

_UNIT_SPLIT = re.compile(r"[、，,；;/／\n\s]+|以及|及(?=[^时早])")
_LEAD_MARK = re.compile(r"[（(]\s*(?:牵头|牵头单位|主责|总牵头)\s*[）)]")
_TRIM_UNIT = re.compile(r"^(?:由|请|会同|联合|协调|并|和)|(?:等(?:单位|部门)?|[。．.，,；;：:]+)$")


def split_units(text: str) -> tuple[list[str], list[str]]:
    """Names in one list, as written; those marked （牵头） come back apart: (marked, others)."""
    marked: list[str] = []
    others: list[str] = []
    for raw in _UNIT_SPLIT.split(text or ""):
        name = raw.strip()
        is_lead = bool(_LEAD_MARK.search(name))
        name = _LEAD_MARK.sub("", name).strip()
        name = _TRIM_UNIT.sub("", name).strip()
        name = _TRIM_UNIT.sub("", name).strip()
        if not name or name in ("无", "—", "-", "/"):
            continue
        (marked if is_lead else others).append(name)
    return marked, others


def _add(target: list[str], names: list[str]) -> None:
    for name in names:
        if name not in target:
            target.append(name)


# ---------------------------------------------------------------- clauses

_LEAD_VERB = re.compile(r"^(?P<units>.+?)(?:共同|负责)?(?:牵头负责|牵头落实|牵头|为牵头单位)$")
_ALL_LEAD_VERB = re.compile(
    r"^(?P<units>.+?)(?:按职责分工负责|按职责分工落实|按职责负责|分工负责|按职责分工抓好落实)$"
)
_CO_VERB = re.compile(
    r"^(?P<units>.+?)(?:共同)?(?:配合|参与|协助|协同|协办|配合落实|为配合单位|按职责配合)$"
)
_CO_PREFIX = re.compile(r"^(?:会同|联合|协调)(?P<units>.+)$")
_DO_VERB = re.compile(
    r"^(?P<units>.+?)(?:具体)?(?:负责|落实|组织实施|负责实施|负责落实|抓好落实|实施|推进)$"
)
_UNITISH = re.compile(
    r"(?:局|委|办|厅|院|部|区|县|市|政府|中心|公司|集团|室|会|处|署|队|所|站|行|社|团|馆|校|大学|办公室|部门|单位)$"
)


def _looks_like_units(text: str) -> bool:
    names = [n for group in split_units(text) for n in group]
    return bool(names) and all(len(n) <= 30 and _UNITISH.search(n) for n in names)


class _Assignment:
    def __init__(self) -> None:
        self.lead: list[str] = []
        self.co: list[str] = []
        self.due_text = ""
        self.leader = ""
        self.seen = False

    def deadline(self, text: str) -> None:
        if text and not self.due_text:
            self.due_text = text
            self.seen = True

    def clause(self, clause: str) -> bool:
        """Read one clause of a responsibility bracket or sentence; whether it said anything."""
        clause = clause.strip().strip("。.；;，,").strip()
        clause = re.sub(r"^(?:请|由)", "", clause)
        if not clause:
            return False
        for pattern, role in (
            (_ALL_LEAD_VERB, "all"),
            (_LEAD_VERB, "lead"),
            (_CO_VERB, "co"),
            (_DO_VERB, "do"),
        ):
            match = pattern.match(clause)
            if match and _looks_like_units(match["units"]):
                marked, others = split_units(match["units"])
                names = marked + others
                if role == "lead" or (role in ("all", "do") and not self.lead):
                    _add(self.lead, names)
                else:
                    _add(self.co, names)
                self.seen = True
                return True
        match = _CO_PREFIX.match(clause)
        if match and _looks_like_units(match["units"]):
            _add(self.co, [n for g in split_units(match["units"]) for n in g])
            self.seen = True
            return True
        if _is_deadline(clause):
            self.deadline(clause)
            return True
        return False

    def field(self, name: str, value: str) -> None:
        value = value.strip().strip("。；;，,").strip()
        if not value:
            return
        kind = _FIELD_KINDS.get(name)
        if kind is None:  # 牵头领导 and the like: a person, not a unit
            if not self.leader:
                self.leader = re.split(r"[、，,；;\s]", value)[0][:50]
            return
        if kind == "due":
            self.deadline(value)
            return
        clauses = [c.strip() for c in re.split(r"[，,；;]", value) if c.strip()]
        words = [c for c in clauses if _is_deadline(c) and not _looks_like_units(c)]
        if words:  # 责任单位：A、B，2026年6月底前完成
            self.deadline(words[0])
            value = "、".join(c for c in clauses if c not in words)
        marked, others = split_units(value)
        if kind == "lead":
            _add(self.lead, marked + others)
        elif kind == "co":
            _add(self.co, marked + others)
        elif kind == "duty":  # 责任单位: the marked or the first listed leads
            if marked:
                _add(self.lead, marked)
                _add(self.co, others)
            elif self.lead:
                _add(self.co, others)
            else:
                # "A、B按职责分工负责" written under 责任单位 means all lead
                if len(others) == 1 or not re.search(r"按职责|分工负责", value):
                    _add(self.lead, others[:1])
                    _add(self.co, others[1:])
                else:
                    _add(self.lead, others)
        self.seen = True


def _is_deadline(text: str) -> bool:
    if len(text) > 40:
        return False
    try:
        found = parse_deadline(text, year=2000)
    except DeadlineError as exc:  # 2月30日 is still meant as a deadline: the preview says so
        return exc.code == "impossible_date"
    return found.due is not None or found.ongoing


_FIELD_KINDS = {
    "牵头单位": "lead",
    "主责单位": "lead",
    "牵头部门": "lead",
    "责任部门": "duty",
    "责任单位": "duty",
    "配合单位": "co",
    "协办单位": "co",
    "参与单位": "co",
    "配合部门": "co",
    "协同单位": "co",
    "完成时限": "due",
    "完成时间": "due",
    "办结时限": "due",
    "完成期限": "due",
    "时限要求": "due",
    "时间要求": "due",
    "办理时限": "due",
}
_FIELD = re.compile(r"(" + "|".join(_FIELD_KINDS) + r"|牵头领导|责任领导|分管领导)\s*[:：]\s*")
_BRACKET = re.compile(r"[（(]([^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*)[）)]\s*[。.；;]?\s*$")


def _read_fields(text: str, assignment: _Assignment) -> str:
    """Labelled fields in the text go into the assignment; the text before the first comes back."""
    matches = list(_FIELD.finditer(text))
    if not matches:
        return text
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[match.end() : end]
        assignment.field(match.group(1), value)
    head = text[: matches[0].start()].rstrip()
    return re.sub(r"[（(]\s*$", "", head).rstrip()


def _read_bracket(text: str, assignment: _Assignment) -> str:
    """A closing bracket naming units or a deadline goes into the assignment; the rest returns."""
    match = _BRACKET.search(text)
    if not match:
        return text
    inside = match.group(1)
    if _FIELD.search(inside):
        trial = _Assignment()
        _read_fields(inside, trial)
        if trial.seen:
            _merge(assignment, trial)
            return text[: match.start()].rstrip()
        return text
    trial = _Assignment()
    clauses = [c for c in re.split(r"[，,；;]", inside) if c.strip()]
    said = [trial.clause(c) for c in clauses]
    if said and all(said):
        _merge(assignment, trial)
        return text[: match.start()].rstrip()
    if said and any(said) and (trial.lead or trial.co):
        _merge(assignment, trial)
        return text[: match.start()].rstrip()
    # bare names, as a 责任单位 list: "（市教育局、市财政局，年底前完成）"
    names = [c.strip() for c in clauses if not _is_deadline(c)]
    if (
        names
        and all(_looks_like_units(c) for c in names)
        and not any(re.search(r"简称|包括|含|例如|即|如", c) for c in names)
    ):
        bare = _Assignment()
        bare.field("责任单位", "、".join(names))
        for clause in clauses:
            if clause.strip() not in names:
                bare.deadline(clause.strip())
        _merge(assignment, bare)
        return text[: match.start()].rstrip()
    return text


def _merge(into: _Assignment, other: _Assignment) -> None:
    into.leader = into.leader or other.leader
    _add(into.lead, other.lead)
    _add(into.co, other.co)
    into.deadline(other.due_text)
    into.seen = into.seen or other.seen


_SENTENCE_LEAD = re.compile(r"(?:请|由)([^，,。；;]{2,60}?)(?:牵头|负责)")


def _read_prose(text: str, assignment: _Assignment) -> None:
    """A leader's words: 请A牵头，会同B、C，于3月底前拿出方案."""
    for sentence in re.split(r"[。；;]", text):
        if not _SENTENCE_LEAD.search(sentence):
            continue
        for clause in re.split(r"[，,]", sentence):
            clause = clause.strip()
            start = re.search(r"(?:请|由)", clause)
            if start:
                clause = clause[start.start() :]
            if re.search(r"(?:牵头|负责|配合|参与|协助)$", clause) or _CO_PREFIX.match(clause):
                assignment.clause(clause)
        words = deadline_in_sentence(sentence)
        if words:
            assignment.deadline(words)


# ---------------------------------------------------------------- titles


def _title_of(text: str) -> str:
    text = text.strip()
    head = re.split(r"[。！？!?]", text, maxsplit=1)[0].strip()
    head = head or text
    head = head.rstrip("：:；;，,。 ")
    if len(head) > 300:
        head = head[:299] + "…"
    return head


# ---------------------------------------------------------------- documents


_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


def document_year(blocks: list[Block]) -> int:
    """The year a document speaks of: from its title (the first lines), else a date in it."""
    head = [b.text for b in blocks[:8] if not b.is_table]
    for line in head:
        match = _YEAR_IN_TITLE.search(line)
        if match:
            return int(match.group(1))
    for block in blocks:
        texts = [block.text] if not block.is_table else [c for row in block.rows for c in row]
        for text in texts:
            match = _DATE.search(text)
            if match:
                return int(match.group(1))
    return clock.today().year


@dataclass
class _Item:
    path: list[str]
    lines: list[str]
    labelled: bool = False  # a 责任单位/完成时限 line was appended
    loose: bool = False  # not numbered: one paragraph (and its wrapped lines, field lines)


_SENTENCE_END = ("。", "：", ":", "；", "！", "？", "）", ")")


def _is_field_line(text: str) -> bool:
    return bool(re.match(r"^\s*[（(]?\s*" + _FIELD.pattern, text))


def _finish(item: _Item, year: int) -> FoundTask | None:
    first, *rest = item.lines
    text = "".join([first, *[r for r in rest if not _is_field_line(r)]]).strip()
    labels = [r for r in rest if _is_field_line(r)]
    assignment = _Assignment()
    for line in labels:
        _read_fields(line.strip().strip("（()）"), assignment)
    body = _read_bracket(text, assignment)
    body = _read_fields(body, assignment)
    if not (assignment.lead or assignment.co):
        _read_prose(body, assignment)
    if not (assignment.lead or assignment.co):
        return None
    task = FoundTask(
        title=_title_of(body),
        content=_join_lines(item.lines),
        lead_units=assignment.lead,
        co_units=assignment.co,
        path=list(item.path),
        lead_leader=assignment.leader,
    )
    _set_due(task, assignment.due_text, year)
    return task


def _join_lines(lines: list[str]) -> str:
    """An item's lines as one text: a line that stops mid-sentence (a PDF's wrap, or a paragraph
    broken by hand) runs on; after 。；：！？ or a closing bracket, and before a field line, a
    new line starts."""
    out = ""
    for line in (raw.strip() for raw in lines):
        if not line:
            continue
        if out and (
            out.endswith(("。", "；", "：", "！", "？", "）", ")")) or _is_field_line(line)
        ):
            out += "\n"
        out += line
    return out


def _set_due(task: FoundTask, words: str, year: int) -> None:
    task.due_text = words
    if not words:
        return
    try:
        found = parse_deadline(words, year=year)
    except DeadlineError:
        return
    task.due = found.due.isoformat() if found.due else None
    task.ongoing = found.ongoing


def _ends_closed(text: str) -> bool:
    probe = _Assignment()
    return _read_bracket(text, probe) != text and probe.seen


def extract_tasks(blocks: list[Block], *, year: int | None = None) -> list[FoundTask]:
    """Every task the document names, in reading order."""
    if year is None:
        year = document_year(blocks)
    found: list[FoundTask] = []
    stack: list[tuple[str, str]] = []  # (kind, label) of the open numbering levels
    item: _Item | None = None
    table: _TableState | None = None
    task_paths: set[tuple[str, ...]] = set()

    def flush() -> None:
        nonlocal item
        if item is not None:
            task = _finish(item, year)
            if task is not None:
                found.append(task)
                task_paths.add(tuple(task.path))
        item = None

    for block in blocks:
        if block.is_table:
            flush()
            outer = [label for _k, label in stack]
            while outer and tuple(outer) in task_paths:  # a table after a task is not its child
                outer.pop()
            tasks, table = _table_tasks(block.rows, outer, year, table)
            found.extend(tasks)
            continue
        table = None
        text = block.text.strip()
        numbered = split_numbering(text)
        if numbered:
            kind, label, rest = numbered
            flush()
            kinds = [k for k, _label in stack]
            if kind in kinds:
                del stack[kinds.index(kind) :]
            stack.append((kind, label))
            item = _Item(path=[lbl for _k, lbl in stack], lines=[rest])
            continue
        if item is None:  # an unnumbered paragraph: a task too when it names its units
            item = _Item(path=[], lines=[text], loose=True)
            continue
        if _is_field_line(text):
            item.lines.append(text)
            item.labelled = True
            continue
        so_far = "".join(item.lines)
        if (
            item.labelled
            or _ends_closed(so_far)
            or (item.loose and (so_far.endswith(_SENTENCE_END) or len(so_far) < 20))
        ):
            flush()
            item = _Item(path=[], lines=[text], loose=True)
        else:  # the item goes on (a wrapped line, or its next paragraph)
            item.lines.append(text)
    flush()
    return found


# ---------------------------------------------------------------- tables

_HEADERS = {
    "seq": ("序号", "编号", "序"),
    "title": (
        "工作任务",
        "重点任务",
        "主要任务",
        "任务名称",
        "任务",
        "工作事项",
        "议定事项",
        "事项",
        "工作内容",
        "重点工作",
        "目标任务",
        "主要内容",
    ),
    "content": ("具体内容", "任务内容", "具体任务", "工作措施", "具体措施", "主要措施", "任务要求"),
    "lead": ("牵头单位", "主责单位", "牵头部门", "牵头责任单位"),
    "duty": ("责任单位", "责任部门", "承办单位"),
    "co": ("配合单位", "协办单位", "参与单位", "配合部门", "协同单位"),
    "due": ("完成时限", "完成时间", "时限", "办结时限", "完成期限", "时间节点", "时间要求"),
    "leader": ("牵头领导", "责任领导", "分管领导", "牵头市领导", "责任市领导"),
}


def _header_kind(cell: str) -> str | None:
    name = re.sub(r"\s+", "", cell)
    if not name or len(name) > 12:
        return None
    for kind, names in _HEADERS.items():
        if name in names:
            return kind
    for kind, names in _HEADERS.items():
        if any(n in name for n in names if len(n) >= 2):
            return kind
    return None


_SPECIFIC = {
    "lead": 3,
    "co": 3,
    "due": 2,
    "content": 2,
    "title": 2,
    "duty": 1,
    "seq": 2,
    "leader": 3,
}


def _columns(rows: list[list[str]]) -> tuple[dict[str, int], int] | None:
    """Which column holds what, and the first data row; None when no header is recognised."""
    for start in range(min(len(rows), 5)):
        kinds = [_header_kind(c) for c in rows[start]]
        if "title" not in kinds and "content" not in kinds:
            continue
        if not any(k in kinds for k in ("lead", "duty", "co", "due")):
            continue
        chosen: list[str | None] = list(kinds)
        first_data = start + 1
        # a second header row under merged cells (责任单位 → 牵头单位 | 配合单位)
        while first_data < len(rows):
            below = [_header_kind(c) for c in rows[first_data]]
            if sum(1 for k in below if k) < 2 or any(
                k is None and c.strip() for k, c in zip(below, rows[first_data], strict=False)
            ):
                break
            for i, kind in enumerate(below):
                if (
                    kind
                    and i < len(chosen)
                    and (chosen[i] is None or _SPECIFIC[kind] >= _SPECIFIC[chosen[i]])
                ):
                    chosen[i] = kind
            first_data += 1
        columns: dict[str, int] = {}
        for i, kind in enumerate(chosen):
            if kind and kind not in columns:
                columns[kind] = i
        if "title" not in columns:
            columns["title"] = columns.pop("content")
        return columns, first_data
    return None


@dataclass
class _TableState:
    """A table's layout and open chapter rows, carried to its continuation on the next page."""

    columns: dict[str, int]
    width: int
    outer: list[str]
    chapters: list[tuple[str, str]] = field(default_factory=list)


def _table_tasks(
    rows: list[list[str]], outer: list[str], year: int, previous: _TableState | None
) -> tuple[list[FoundTask], _TableState | None]:
    layout = _columns(rows)
    width = max((len(r) for r in rows), default=0)
    if layout is not None:
        columns, first = layout
        if previous is not None and previous.columns == columns and previous.width == width:
            state = previous  # the header repeated on the next page
        else:
            state = _TableState(columns, width, outer)
    elif previous is not None and previous.width == width:
        state, first = previous, 0  # continued on the next page without its header
    else:
        return [], None
    columns, outer, chapters = state.columns, state.outer, state.chapters
    found: list[FoundTask] = []

    def cell(row: list[str], kind: str) -> str:
        index = columns.get(kind)
        return row[index].strip() if index is not None and index < len(row) else ""

    for row in rows[first:]:
        values = [c.strip() for c in row if c.strip()]
        if not values:
            continue
        title = cell(row, "title")
        seq = cell(row, "seq")
        units = [cell(row, k) for k in ("lead", "duty", "co")]
        due_words = cell(row, "due")
        distinct = {_one_line(v) for v in values}
        if len(distinct) == 1 or not (any(units) or due_words):
            heading = _one_line(values[0])
            if seq and heading == seq and len(values) > 1:  # 序号 "一" | 工作任务 "科技创新工程"
                label = seq.rstrip("、.．")
                joint = "、" if label[0] in _CN_NUM else "" if label[0] in "（(" else "."
                heading = f"{label}{joint}{values[1]}"
            numbered = split_numbering(heading)
            if numbered:
                kind, label, _rest = numbered
                kinds = [k for k, _l in chapters]
                if kind in kinds:
                    del chapters[kinds.index(kind) :]
                chapters.append((kind, label))
            continue
        own: list[str] = []
        numbered = split_numbering(title)
        if seq:
            seq_numbered = split_numbering(seq + ("、" if seq.isdigit() else ""))
            own = [seq_numbered[1] if seq_numbered else seq.rstrip(".．、")]
        elif numbered:
            own = [numbered[1]]
        if numbered:
            title = numbered[2]
        content = cell(row, "content")
        assignment = _Assignment()
        if cell(row, "lead"):
            assignment.field("牵头单位", _unwrap_units(cell(row, "lead")))
        if cell(row, "duty"):
            duty = _unwrap_units(cell(row, "duty"))
            assignment.field("配合单位" if assignment.lead else "责任单位", duty)
        if cell(row, "co"):
            assignment.field("配合单位", _unwrap_units(cell(row, "co")))
        if due_words:
            assignment.deadline(_one_line(due_words))
        body = title if not content else f"{title}\n{content}" if title else content
        task = FoundTask(
            title=_title_of(_one_line(title or content)),
            content=body,
            lead_units=assignment.lead,
            co_units=assignment.co,
            path=[*outer, *[label for _k, label in chapters], *own],
            lead_leader=_one_line(cell(row, "leader"))[:50],
        )
        _set_due(task, assignment.due_text, year)
        found.append(task)
    return found, state


def _unwrap_units(text: str) -> str:
    """A cell's lines joined where a PDF wrapped a name (市住房城乡建设 / 局), kept apart where
    each line is a name of its own (市发展改革委 / 市财政局)."""
    lines = [line.strip() for line in (text or "").split("\n") if line.strip()]
    if len(lines) < 2:
        return text
    out = [lines[0]]
    for line in lines[1:]:
        last = re.split(r"[、，,；;/／\s]", out[-1])[-1]
        first = re.split(r"[、，,；;/／\s]", line)[0]
        if not last or not _UNITISH.search(last) or len(first) <= 2:
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", "", text).strip()
