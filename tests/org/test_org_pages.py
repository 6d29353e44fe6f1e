"""Units and accounts pages: only the system administrator, every change through services."""

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.org.models import Role, Unit, UnitKind, User
from luoshi.org.services import unit_create, unit_resolve, unit_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def root():
    return unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)


@pytest.fixture
def admin_client(client, root):
    admin = User.objects.create_user("adm", password="pw-123456!", role=Role.SYSADMIN)
    client.force_login(admin)
    return client


def test_sysadmin_creates_unit_and_alias_resolves(admin_client, root):
    response = admin_client.post(
        reverse("org:unit_create"),
        {
            "name": "示范市发展和改革委员会",
            "short_name": "市发展改革委",
            "aliases": "市发改委\n市发展和改革委",
            "kind": "department",
            "parent": root.pk,
            "sort_order": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="示范市发展和改革委员会")
    assert unit.path.startswith(root.path) and unit.depth == 1
    assert unit_resolve("市发改委") == unit
    assert unit_resolve(" 市发展改革委 ") == unit
    assert unit_resolve("市不存在局") is None
    assert AuditEvent.objects.filter(action="org.unit.create", object_id=str(unit.pk)).exists()


def test_moving_a_unit_repaths_its_subtree(root):
    a = unit_create(actor=None, name="甲区", kind=UnitKind.DISTRICT, parent=root)
    b = unit_create(actor=None, name="乙区", kind=UnitKind.DISTRICT, parent=root)
    street = unit_create(actor=None, name="甲区某街道", kind=UnitKind.STREET, parent=a)
    admin = User.objects.create_user("adm2", password="pw-123456!", role=Role.SYSADMIN)
    unit_update(actor=admin, unit=a, parent=b)
    street.refresh_from_db()
    assert street.path.startswith(b.path) and street.depth == 3


def test_unit_cannot_move_under_itself(admin_client, root):
    child = unit_create(actor=None, name="甲区", kind=UnitKind.DISTRICT, parent=root)
    response = admin_client.post(
        reverse("org:unit_edit", args=[root.pk]),
        {
            "name": root.name,
            "kind": "government",
            "parent": child.pk,
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "不能把单位移到它自己或其下级单位之下" in response.content.decode()
    root.refresh_from_db()
    assert root.parent_id is None


def test_liaison_account_requires_a_unit(admin_client):
    before = User.objects.count()
    response = admin_client.post(
        reverse("org:user_create"),
        {"username": "lly", "password": "Luoshi-2026-x", "full_name": "张三", "role": "liaison"},
    )
    assert "单位联络员和单位负责人必须属于一个单位" in response.content.decode()
    assert User.objects.count() == before


def test_sysadmin_creates_liaison(admin_client, root):
    response = admin_client.post(
        reverse("org:user_create"),
        {
            "username": "lly",
            "password": "Luoshi-2026-x",
            "full_name": "张三",
            "role": "liaison",
            "unit": root.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="lly")
    assert user.check_password("Luoshi-2026-x") and user.role == Role.LIAISON


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.LEADER, Role.LIAISON, Role.AUDITOR])
def test_other_roles_cannot_manage_org(client, root, role):
    user = User.objects.create_user("u", password="pw-123456!", role=role, unit=root)
    client.force_login(user)
    assert client.get(reverse("org:units")).status_code == 403
    assert client.post(reverse("org:unit_create"), {"name": "x"}).status_code == 403
    assert not Unit.objects.filter(name="x").exists()
