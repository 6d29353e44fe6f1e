"""The English catalogue: complete, compiled, current with the code, and used.

The UI's source language is Chinese (msgid "签收" → msgstr "Acknowledge"). Chinese stays the
default; English is chosen with the language switch (a cookie) or the browser's
Accept-Language. These tests keep the catalogue whole as strings are added:

- every entry of the .po is translated, none fuzzy, plurals in both forms, placeholders kept;
- the committed .mo says what the .po says (fresh machines may lack gettext to compile it);
- the .po holds exactly the strings the code marks (re-run makemessages after adding some);
- the main pages in English show no Chinese outside the data (unit names, titles, texts).
"""

from __future__ import annotations

import gettext
import html
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

LOCALE = Path(settings.BASE_DIR) / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"
REMAKE = (
    "cd luoshi && ../.venv/bin/django-admin makemessages -l en --ignore='static/vendor/*' "
    "--add-location file --settings luoshi.settings, translate, then compilemessages -l en"
)

# Chinese characters and the full-width punctuation that goes with them (，。、：（）《》〔〕).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdif]|%%")


# --- a small .po reader ----------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes[m.group(1)], text[1:-1])


def read_po(path: Path) -> list[Entry]:
    """Entries of a .po file, the header (msgid "") included first."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry, target = Entry(), None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry.obsolete = True
            elif line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif m := re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])? (.*)", line):
                keyword, index, value = m.groups()
                target = (keyword, int(index)) if index is not None else (keyword, None)
                _append(entry, target, _unquote(value), reset=True)
            elif line.startswith('"') and target is not None:
                _append(entry, target, _unquote(line))
        entries.append(entry)
    return entries


def _append(entry: Entry, target: tuple[str, int | None], text: str, reset: bool = False):
    keyword, index = target
    if keyword == "msgstr" and index is not None:
        entry.msgstr_plural[index] = ("" if reset else entry.msgstr_plural[index]) + text
    else:
        setattr(entry, keyword, ("" if reset else (getattr(entry, keyword) or "")) + text)


def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid and not e.obsolete]


def as_catalog(entries: list[Entry]) -> dict:
    """The .po as the dictionary gettext builds from a .mo (context joined by \\x04)."""
    catalog = {}
    for e in messages(entries):
        key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt is not None else e.msgid
        if e.msgid_plural is not None:
            for i, text in e.msgstr_plural.items():
                catalog[(key, i)] = text
        else:
            catalog[key] = e.msgstr
    return catalog


def mo_catalog(path: Path) -> dict:
    with path.open("rb") as f:
        catalog = dict(gettext.GNUTranslations(f)._catalog)
    catalog.pop("", None)  # the header
    return catalog


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    return read_po(PO)


# --- the catalogue ---------------------------------------------------------------------------


def test_reader_understands_plurals_contexts_and_continued_lines(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#, fuzzy, python-format\nmsgctxt "list separator"\nmsgid "、"\nmsgstr ", "\n\n'
        'msgid "共 %(n)s 条"\nmsgid_plural "共 %(n)s 条"\nmsgstr[0] "%(n)s entry"\n'
        'msgstr[1] ""\n"%(n)s entries"\n\n#~ msgid "旧"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    header, sep, plural, old = read_po(po)
    assert header.msgstr == "Language: en\n"
    assert sep.key == ("list separator", "、") and sep.msgstr == ", "
    assert sep.flags == {"fuzzy", "python-format"}
    assert plural.msgstr_plural == {0: "%(n)s entry", 1: "%(n)s entries"}
    assert old.obsolete and messages([header, sep, plural, old]) == [sep, plural]


def test_every_message_is_translated_and_none_is_fuzzy(po_entries):
    entries = messages(po_entries)
    assert len(entries) > 400  # the whole UI, not a stub
    untranslated = [
        e.msgid
        for e in entries
        if (e.msgid_plural is None and not e.msgstr.strip())
        or (e.msgid_plural is not None and not all(v.strip() for v in e.msgstr_plural.values()))
    ]
    fuzzy = [e.msgid for e in po_entries if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy (check and remove the flag): {fuzzy}"
    assert not [e.msgid for e in po_entries if e.obsolete], "obsolete entries: run makemessages"


def test_header_declares_english_plural_forms(po_entries):
    header = po_entries[0]
    assert header.msgid == "" and "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr
    assert "Content-Type: text/plain; charset=UTF-8\n" in header.msgstr
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.msgstr
    plurals = [e for e in messages(po_entries) if e.msgid_plural is not None]
    assert plurals and all(sorted(e.msgstr_plural) == [0, 1] for e in plurals)


def test_translations_keep_every_placeholder(po_entries):
    def marks(text: str) -> list[str]:
        return sorted(PLACEHOLDER.findall(text))

    wrong = []
    for e in messages(po_entries):
        # Placeholders only count where the string is formatted (xgettext flags those).
        if "python-format" not in e.flags:
            continue
        if e.msgid_plural is None:
            if marks(e.msgstr) != marks(e.msgid):
                wrong.append((e.msgid, e.msgstr))
            continue
        if marks(e.msgstr_plural[1]) != marks(e.msgid_plural):
            wrong.append((e.msgid_plural, e.msgstr_plural[1]))
        # The English singular may spell the one out ("The draft task below…"), but it may
        # not ask for a value the code does not give.
        if not set(marks(e.msgstr_plural[0])) <= set(marks(e.msgid)):
            wrong.append((e.msgid, e.msgstr_plural[0]))
    assert not wrong


# The one Chinese name English keeps: the demo city, in the demo command's output.
QUOTED = re.compile("示范市")


def test_translations_are_english(po_entries):
    left = []
    for e in messages(po_entries):
        for text in e.msgstr_plural.values() if e.msgid_plural is not None else [e.msgstr]:
            if CJK.search(QUOTED.sub("", text)):
                left.append(text)
    assert not left


def test_glossary_words(po_entries):
    """The words of DESIGN.md's glossary, on the buttons and states users meet every day."""
    by_key = {e.key: e.msgstr for e in messages(po_entries)}
    assert by_key[(None, "签收")] == "Acknowledge"
    assert by_key[(None, "填报")] == "Report"
    assert by_key[(None, "申请办结")] == "Request closure"
    assert by_key[(None, "审核通过")] == "Approve"
    assert by_key[(None, "退回")] == "Return"
    assert by_key[(None, "台账")] == "Ledger"
    assert by_key[(None, "工作台")] == "Home"
    assert by_key[(None, "牵头单位")] == "Lead unit"
    assert by_key[(None, "配合单位")] == "Co-units"
    assert by_key[(None, "完成时限")] == "Due"
    assert by_key[(None, "长期坚持")] == "Ongoing"
    assert [by_key[(None, c)] for c in ("红灯", "黄灯", "绿灯", "蓝灯")] == [
        "Red",
        "Yellow",
        "Green",
        "Blue",
    ]
    # A state reads as a state, a button as a verb.
    assert by_key[("task state", "申请办结")] == "Closure requested"
    assert by_key[("task state", "撤销")] == "Cancelled"


def test_committed_mo_matches_the_po(po_entries):
    assert MO.exists(), "compile the catalogue: " + REMAKE
    assert mo_catalog(MO) == as_catalog(po_entries), "the .mo is stale: " + REMAKE


def test_msgfmt_accepts_the_po(tmp_path, po_entries):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext's msgfmt is not installed")
    import subprocess

    out = tmp_path / "django.mo"
    # --check: format strings match their msgid, plural forms agree with the header.
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(out), str(PO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert mo_catalog(out) == mo_catalog(MO)


def test_catalogue_holds_exactly_what_the_code_marks(tmp_path, settings, monkeypatch, po_entries):
    """Run makemessages on a copy of the package: every marked string is in the committed
    .po (so English never falls back to Chinese), and nothing in it is stale."""
    if shutil.which("xgettext") is None:
        pytest.skip("gettext's xgettext is not installed")
    copy = tmp_path / "luoshi"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "vendor", "*.mo", "*.po", "migrations"),
    )
    (copy / "locale").mkdir(exist_ok=True)
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], verbosity=0, ignore_patterns=["static/vendor/*"])
    fresh = {e.key for e in messages(read_po(copy / "locale/en/LC_MESSAGES/django.po"))}
    committed = {e.key for e in messages(po_entries)}
    assert not fresh - committed, f"not in the catalogue yet ({REMAKE}): {fresh - committed}"
    assert not committed - fresh, f"no longer in the code ({REMAKE}): {committed - fresh}"


# --- the pages -------------------------------------------------------------------------------


def data_strings() -> list[str]:
    """Every text stored in the database (names, titles, reports, reasons, audit data): what
    the page shows of it is data, not chrome, and stays in the language it was written in."""
    from django.apps import apps
    from django.db import models

    found: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)

    for model in apps.get_models():
        if not model._meta.app_config.name.startswith("luoshi."):
            continue  # auth's permission names and the like never show on a page
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if text_fields:
            for row in model.objects.values_list(*text_fields):
                walk(row)
    # What a template derives from data: each line of a text, each alias.
    found |= {line.strip() for s in list(found) for line in s.splitlines() if line.strip()}
    return sorted((s for s in found if CJK.search(s)), key=len, reverse=True)


def chinese_chrome(page: str, data: list[str]) -> list[str]:
    """The Chinese left on a page once data and the 中文 switch button are taken out, each
    with a little context."""
    text = html.unescape(page)
    text = re.sub(r'lang="zh-hans">中文<', 'lang="zh-hans"><', text)
    # {{ title|truncatechars:n }}: the head of a data string, then an ellipsis.
    heads = {s[:k] for s in data for k in range(1, len(s))}
    longest = max(map(len, data), default=0)
    for end in [m.start() for m in re.finditer("…", text)]:
        for start in range(max(end - longest, 0), end):
            if text[start:end] in heads:
                text = text[:start] + " " * (end - start) + text[end:]
                break
    for s in data:
        text = text.replace(s, " ")
    return [
        text[max(m.start() - 40, 0) : m.end() + 20].replace("\n", " ") for m in CJK.finditer(text)
    ]


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _pages(w):
    """(who, url, status, English words that must show) for the pages people use."""
    t = lambda name, *args: reverse(name, args=args)  # noqa: E731
    return [
        (None, t("login"), 200, ["Log in", "User name", "Password"]),
        (w.liaison_a, t("home"), 200, ["To acknowledge", "Reports due", "March 10, 2026"]),
        (w.head_a, t("home"), 200, ["Home", "Overdue", "Due soon"]),
        (w.sup, t("home"), 200, ["Lights by unit", "Closure requests to review", "Red"]),
        (w.leader, t("home"), 200, ["Tasks I lead", "Units with most red and yellow lights"]),
        (w.sysadmin, t("home"), 200, ["System administration", "Active units"]),
        (w.secadmin, t("home"), 200, ["Roles", "Held by", "Unit liaison"]),
        (w.sup, t("tasks:list"), 200, ["Task ledger", "More filters", "Lead unit", "Co-units"]),
        (w.liaison_a, t("tasks:list") + "?todo=ack", 200, ["Task ledger", "Filter"]),
        (w.sup, t("tasks:list") + "?light=red&sort=-due", 200, ["Overdue by"]),
        (w.sup, t("tasks:detail", w.big.pk), 200, ["Broken down into 2 sub-tasks", "Urgent"]),
        (w.liaison_a, t("tasks:detail", w.big.pk), 200, ["Report", "Progress reports"]),
        (w.liaison_a, t("tasks:detail", w.soon.pk), 200, ["Acknowledge"]),
        (w.sup, t("tasks:detail", w.pending.pk), 200, ["Approve", "Closure requested"]),
        (w.liaison_a, t("tasks:detail", w.returned.pk), 200, ["Returned", "Request closure"]),
        (w.sup, t("tasks:detail", w.paused.pk), 200, ["Suspended", "Resume"]),
        (w.sup, t("tasks:detail", w.done.pk), 200, ["Closed", "Approved"]),
        (w.liaison_a, t("reports:submit", w.big.pk), 200, ["Report progress", "Next steps"]),
        (w.liaison_a, t("tasks:closure_request", w.late.pk), 200, ["Request closure"]),
        (w.sup, t("tasks:verify", w.pending.pk), 200, ["Review closure request"]),
        (w.sup, t("tasks:decompose", w.big.pk), 200, ["Break down", "Save sub-tasks"]),
        (w.sup, t("tasks:task_edit", w.big.pk), 200, ["Edit task", "Responsibilities"]),
        (w.sup, t("tasks:create") + f"?parent={w.big.pk}", 200, ["New sub-task", "Time nodes"]),
        (w.sup, t("tasks:assign", w.draft.pk), 200, ["The draft task below will be assigned"]),
        (w.sup, t("tasks:suspend", w.late.pk), 200, ["Suspend task", "Reason for suspending"]),
        (w.sup, t("tasks:sources"), 200, ["Register a source", "Source type"]),
        (w.sup, t("tasks:source_detail", w.source.pk), 200, ["View in the ledger"]),
        (w.sup, t("tasks:source_create"), 200, ["Register a source", "Document number"]),
        (w.sysadmin, t("workcal:calendar") + "?year=2026", 200, ["Work calendar 2026", "March"]),
        (w.sysadmin, t("org:units"), 200, ["Units", "Short name", "Aliases"]),
        (w.sysadmin, t("org:users"), 200, ["Accounts", "All roles"]),
        (w.sysadmin, t("org:user_edit", w.liaison_a.pk), 200, ["Edit account", "Reset password"]),
        (w.auditor, t("audit:log"), 200, ["Audit log", "Verify integrity"]),
        (w.liaison_a, t("workcal:calendar"), 403, ["You may not do this", "Back to Home"]),
        (w.liaison_a, t("tasks:decompose", w.big.pk), 403, ["You may not do this"]),
        (w.sup, t("tasks:detail", 999999), 404, ["Page not found"]),
    ]


def test_main_pages_in_english_show_no_chinese_beyond_data(world, today, english):
    data = data_strings()
    assert "示范市发展和改革委员会" in data and "实施重大项目攻坚行动" in data
    problems = {}
    for who, url, status, words in _pages(world):
        if who is None:
            english.logout()
        else:
            english.force_login(who)
        english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # log-out clears the cookies
        response = english.get(url)
        page = response.content.decode()
        where = f"{who.username if who else 'anonymous'} {url}"
        assert response.status_code == status, where
        assert '<html lang="en">' in page, where
        missing = [w for w in words if w not in html.unescape(page)]
        left = chinese_chrome(page, data)
        if missing or left:
            problems[where] = {"missing": missing, "chinese": left}
    assert not problems


def test_chinese_chrome_is_caught_and_data_is_not(world):
    data = data_strings()
    page = (
        '<html lang="en"><h1>实施重大项目攻坚行动</h1><p title="实施重大项目…">x</p>'
        '<button lang="zh-hans">中文</button><th>牵头单位</th></html>'
    )
    left = chinese_chrome(page, data)
    assert len(left) == 1 and "牵头单位" in left[0]


def test_history_and_reasons_read_in_english(world, today, english):
    english.force_login(world.sup)
    page = html.unescape(english.get(reverse("tasks:detail", args=[world.big.pk])).text)
    assert "Priority: High → Urgent" in page
    assert "Report cycle: Monthly → Twice a month" in page
    assert "Acknowledged as lead unit" in page and "Acknowledged as co-unit" in page
    english.force_login(world.liaison_a)
    page = html.unescape(english.get(reverse("tasks:detail", args=[world.late.pk])).text)
    assert "Overdue by 3 working days" in page


# --- the default and the switch --------------------------------------------------------------


def test_chinese_is_the_default(client, world, today):
    page = client.get(reverse("login")).text
    assert '<html lang="zh-hans">' in page and "登录" in page and "Log in" not in page
    client.force_login(world.liaison_a)
    page = client.get(reverse("home")).text
    assert '<html lang="zh-hans">' in page and "待签收" in page and "To acknowledge" not in page
    # A browser asking for a language we do not have gets Chinese, not English.
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").text
    assert '<html lang="zh-hans">' in page and "工作台" in page


def test_browser_language_english_gives_english(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").text
    assert '<html lang="en">' in page and "Log in" in page and "登录" not in page


def test_language_switch_sets_the_cookie_both_ways(client, world, today):
    client.force_login(world.liaison_a)
    home = reverse("home")
    response = client.post(reverse("set_language"), {"language": "en", "next": home})
    assert response.status_code == 302 and response["Location"] == home
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(home).text
    assert '<html lang="en">' in page and "To acknowledge" in page
    # The switch offers Chinese back, named in Chinese.
    assert 'value="zh-hans" lang="zh-hans">中文</button>' in page
    # The cookie wins over the browser's language, both ways.
    assert "To acknowledge" in client.get(home, HTTP_ACCEPT_LANGUAGE="zh-CN").text
    client.post(reverse("set_language"), {"language": "zh-hans", "next": home})
    page = client.get(home, HTTP_ACCEPT_LANGUAGE="en").text
    assert '<html lang="zh-hans">' in page and "待签收" in page
