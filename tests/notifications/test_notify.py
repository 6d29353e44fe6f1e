"""notify(): one inbox row per recipient; a repeated key notifies nobody twice."""

from __future__ import annotations

import pytest

from luoshi.notifications.models import Notification, NotificationKind
from luoshi.notifications.services import notifications_mark_read, notify, unread_count
from luoshi.org.models import Role, User


@pytest.fixture
def people(db):
    make = User.objects.create_user
    return [make(f"u{i}", password="x-Secret-1", role=Role.LIAISON) for i in range(3)]


def test_each_recipient_gets_one_row_and_inactive_users_none(people):
    people[2].is_active = False
    people[2].save()
    created = notify(recipients=[*people, people[0]], kind=NotificationKind.URGE, title="请填报")
    assert [n.recipient for n in created] == people[:2]
    assert unread_count(people[0]) == 1 and unread_count(people[2]) == 0


def test_a_repeated_dedupe_key_notifies_nobody_twice(people):
    first = notify(recipients=people, kind="urge", title="催办", dedupe_key="urge:7:2026-03-10")
    again = notify(recipients=people, kind="urge", title="催办", dedupe_key="urge:7:2026-03-10")
    other_day = notify(recipients=people[:1], kind="urge", title="催办", dedupe_key="urge:7:x")
    assert len(first) == 3 and again == [] and len(other_day) == 1
    assert Notification.objects.filter(recipient=people[0]).count() == 2


def test_marking_read_touches_only_the_users_own_rows(people):
    mine = notify(recipients=people[:1], kind="task", title="a")[0]
    theirs = notify(recipients=people[1:2], kind="task", title="b")[0]
    assert notifications_mark_read(user=people[0], ids=[mine.pk, theirs.pk]) == 1
    assert unread_count(people[0]) == 0 and unread_count(people[1]) == 1
