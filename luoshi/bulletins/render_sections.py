"""The bulletin document's sections from the other systems: 政策兑现情况 and 考核得分与排名
(figures from bulletins.sections). Drawn with the document helpers of bulletins.render."""

from __future__ import annotations

from django.utils.translation import gettext as _

from luoshi.bulletins.render import _date, _heading1, _items, _para, _table


def policy_section(document, s: dict, number: int, table_number: int) -> None:
    _heading1(document, number, _("政策兑现情况"))
    p = s.get("policies")
    if not p or not p["total"]:
        _para(document, _("本期纳入统计的任务中无政策兑现事项。"), indent=True)
        return
    _para(
        document,
        _(
            "本期纳入统计的政策%(policies)d项，兑现事项%(total)d项，其中已兑现%(delivered)d项"
            "（按期兑现%(on_time)d项），期末逾期未兑现%(overdue)d项，兑现率%(rate)s。"
        )
        % {
            "policies": p["policies"],
            "total": p["total"],
            "delivered": p["delivered"],
            "on_time": p["on_time"],
            "overdue": p["overdue"],
            "rate": p["rate_text"],
        },
        indent=True,
    )
    rows = [
        [
            str(i),
            r["title"] + (f"（{r['doc_number']}）" if r["doc_number"] else ""),
            str(r["total"]),
            str(r["delivered"]),
            str(r["on_time"]),
            str(r["overdue"]),
            r["rate_text"],
        ]
        for i, r in enumerate(p["rows"], start=1)
    ]
    _table(
        document,
        _("表%(n)d  政策兑现情况") % {"n": table_number},
        [
            _("序号"),
            _("政策名称"),
            _("兑现事项"),
            _("已兑现"),
            _("按期兑现"),
            _("逾期未兑现"),
            _("兑现率"),
        ],
        rows,
        widths=[12, 60, 18, 18, 18, 20, 18],
    )
    if p["more"]:
        _para(
            document,
            _("（按逾期未兑现事项多少排列，列出前%(shown)d项，另有%(more)d项政策未列出。）")
            % {"shown": len(p["rows"]), "more": p["more"]},
            indent=True,
        )


def _rank_line(r: dict) -> str:
    if r["change"] is None:
        change = ""
    elif r["change"] > 0:
        change = _("，较上期上升%(n)d位") % {"n": r["change"]}
    elif r["change"] < 0:
        change = _("，较上期下降%(n)d位") % {"n": -r["change"]}
    else:
        change = _("，与上期持平")
    return _("第%(rank)d名  %(unit)s  %(score)s分%(change)s") % {
        "rank": r["rank"],
        "unit": r["unit"],
        "score": r["score"],
        "change": change,
    }


def ranking_section(document, s: dict, number: int) -> None:
    _heading1(document, number, _("考核得分与排名"))
    ranking = s.get("ranking")
    if not ranking:
        _para(document, _("本期内无已发布的考核结果。"), indent=True)
        return
    _para(
        document,
        _("根据%(period)s考核结果（%(start)s至%(end)s，已发布），各排名组得分情况如下。")
        % {
            "period": ranking["period"],
            "start": _date(ranking["start"]),
            "end": _date(ranking["end"]),
        },
        indent=True,
    )
    for g in ranking["groups"]:
        if g["bottom"]:
            intro = _("%(group)s（共%(count)d个单位）前%(n)d名和后%(n)d名：") % {
                "group": g["name"],
                "count": g["count"],
                "n": ranking["rows_each_end"],
            }
        else:
            intro = _("%(group)s（共%(count)d个单位）：") % {
                "group": g["name"],
                "count": g["count"],
            }
        _para(document, intro, indent=True)
        _items(document, [_rank_line(r) for r in g["top"] + g["bottom"]], "")
