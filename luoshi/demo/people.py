"""The people of 示范市: the demo accounts (README lists them), the city leaders with their
portfolios (分管领域), and a liaison (联络员) and a head (负责人) for every department and
district. Every account's password is DEMO_PASSWORD.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from luoshi.demo.units import DISTRICTS, SPECS, Units
from luoshi.lib import clock
from luoshi.org.models import Role, User
from luoshi.org.services import user_create
from luoshi.security.models import AccountSecurity
from luoshi.security.services.totp import totp_demo_enrol

DEMO_PASSWORD = "luoshi2026"
# The three administrators must give a second factor (docs/SECURITY.md). The demo enrols them
# with this published secret (README): add it to an authenticator app, or print the current
# code with `.venv/bin/python -c "import pyotp; print(pyotp.TOTP('<secret>').now())"`.
DEMO_TOTP_SECRET = "LUOSHIDEMOTOTPSECRETFORADMINS234"


@dataclass(frozen=True)
class LeaderSpec:
    username: str
    full_name: str
    title: str
    portfolio: tuple[str, ...]  # unit codes in the leader's charge


LEADERS = (
    LeaderSpec("lingdao", "周立新", "市长", ()),
    LeaderSpec("cwfsz", "陈志刚", "常务副市长", ("fgw", "czj", "tjj", "sjj", "zwb", "gzw", "rsj")),
    LeaderSpec("fsz_gy", "王海峰", "副市长", ("gxj", "kjj", "swj", "scj", "gxq")),
    LeaderSpec("fsz_cj", "刘芳", "副市长", ("zgj", "zjj", "jtj", "cgj", "sthjj")),
    LeaderSpec("fsz_sh", "赵丽华", "副市长", ("jyj", "wjw", "mzj", "ybj", "wgl", "tyj")),
    LeaderSpec("fsz_nl", "孙卫东", "副市长", ("nyj", "slj", "yjj", "gaj", "sfj")),
)

# Accounts with a fixed name, as README lists them: (username, full name, role, title).
SUPERVISOR = ("duchashi", "林晓雯", "督查室副主任")
ADMINS = (
    ("sysadmin", "系统管理员", Role.SYSADMIN),
    ("secadmin", "安全管理员", Role.SECADMIN),
    ("auditor", "审计管理员", Role.AUDITOR),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
GIVEN = (
    "伟",
    "敏",
    "静",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "建华",
    "志强",
    "晓燕",
    "海燕",
    "国庆",
    "红梅",
    "文博",
    "思远",
    "雨桐",
    "子涵",
    "宏伟",
    "丽娜",
    "春生",
    "振华",
)


@dataclass
class People:
    supervisor: User
    leaders: dict[str, User]
    liaisons: dict[str, User] = field(default_factory=dict)
    heads: dict[str, User] = field(default_factory=dict)

    def leader_for(self, unit_code: str) -> User:
        """The leader whose portfolio holds the unit (the 常务副市长 by default)."""
        for spec in LEADERS:
            if unit_code in spec.portfolio:
                return self.leaders[spec.username]
        return self.leaders["cwfsz"]


@contextlib.contextmanager
def password_hashed_once(password: str) -> Iterator[None]:
    """Hash the one published demo password once (PBKDF2, one salt) instead of once per
    account: ~80 accounts at ~0.25 s each would dominate the load time. Any other password
    is hashed as usual."""
    hashed = make_password(password)
    original = User.set_password

    def set_password(self: User, raw_password: str | None) -> None:
        if raw_password == password:
            self.password = hashed
            self._password = raw_password
        else:
            original(self, raw_password)

    User.set_password = set_password  # type: ignore[method-assign]
    try:
        yield
    finally:
        User.set_password = original  # type: ignore[method-assign]


def password_ages_restart() -> None:
    """The demo's passwords count as set today: the accounts are opened at the start of the
    story, months ago, and would otherwise load with their passwords already expired."""
    AccountSecurity.objects.update(password_changed_at=clock.now())


def _names() -> Iterator[str]:
    rng = random.Random(2026)
    seen: set[str] = set()
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in seen:
            seen.add(name)
            yield name


def build_people(units: Units, actor: User | None = None) -> People:
    with password_hashed_once(DEMO_PASSWORD):
        return _build(units, actor)


def _build(units: Units, actor: User | None) -> People:
    def create(username: str, **fields) -> User:
        # the published demo password predates the policy, and is not to be changed at the
        # first log-in: the demo is for trying, not for real accounts
        return user_create(
            actor=actor,
            username=username,
            password=DEMO_PASSWORD,
            must_change_password=False,
            policy_checked=False,
            **fields,
        )

    supervisor = create(
        SUPERVISOR[0],
        full_name=SUPERVISOR[1],
        role=Role.SUPERVISOR,
        unit=units.duchashi,
        title=SUPERVISOR[2],
    )
    leaders = {
        spec.username: create(
            spec.username,
            full_name=spec.full_name,
            role=Role.LEADER,
            unit=units.root,
            title=spec.title,
        )
        for spec in LEADERS
    }
    for username, full_name, role in ADMINS:
        admin = create(username, full_name=full_name, role=role, unit=units.office)
        totp_demo_enrol(user=admin, secret=DEMO_TOTP_SECRET)
    people = People(supervisor=supervisor, leaders=leaders)
    names = _names()
    district_codes = {d.code for d in DISTRICTS}
    for code, unit in units.by_code.items():
        spec = SPECS[code]
        liaison_title = "政府办综合科科长" if code in district_codes else "办公室主任"
        people.liaisons[code] = create(
            f"{code}_lly",
            full_name=next(names),
            role=Role.LIAISON,
            unit=unit,
            title=liaison_title,
        )
        people.heads[code] = create(
            f"{code}_fzr",
            full_name=next(names),
            role=Role.UNIT_HEAD,
            unit=unit,
            title=spec.head_title,
        )
    return people
