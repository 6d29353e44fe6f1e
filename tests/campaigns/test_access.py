"""Who sees what: role × action × own/other unit (luoshi.access.campaigns)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from luoshi.access import campaigns as access
from luoshi.access import policy
from luoshi.campaigns.daily import run_daily
from luoshi.lib import clock

pytestmark = pytest.mark.django_db

PEOPLE = (
    "sup",
    "sup2",
    "sup_out",
    "leader",
    "leader_out",
    "liaison_a",
    "head_a",
    "liaison_b",
    "liaison_c",
    "sysadmin",
    "auditor",
)


def _who(world, names):
    return {n: getattr(world, n) for n in names}


def _sees(world, inspection) -> set[str]:
    return {
        n
        for n, u in _who(world, PEOPLE).items()
        if access.visible_inspections(u).filter(pk=inspection.pk).exists()
    }


def test_role_actions(world):
    expect = {
        "campaign.view": {
            "sup",
            "sup2",
            "sup_out",
            "leader",
            "leader_out",
            "liaison_a",
            "head_a",
            "liaison_b",
            "liaison_c",
        },
        "campaign.plans": {"sup", "sup2", "sup_out", "leader", "leader_out"},
        "campaign.list": {"sup", "sup2", "sup_out", "leader", "leader_out"},
        "campaign.manage": {"sup", "sup2", "sup_out"},
        "campaign.unit": {"liaison_a", "head_a", "liaison_b", "liaison_c"},
    }
    for action, names in expect.items():
        got = {n for n, u in _who(world, PEOPLE).items() if policy.allowed(u, action)}
        assert got == names, action


def test_visibility_before_and_after_the_notice(world):
    inspection = world.make()
    office_and_leaders = {"sup", "sup2", "leader"}
    # not in the scoped users' subtree (东城区), no unit told yet
    assert _sees(world, inspection) == office_and_leaders
    run_daily(today=dt.date(2026, 10, 8))
    assert _sees(world, inspection) == office_and_leaders | {"liaison_a", "head_a", "liaison_b"}


def test_an_unannounced_check_is_hidden_from_units_until_a_finding(world):
    inspection = world.make(unannounced=True)
    run_daily(today=dt.date(2026, 10, 8))
    assert _sees(world, inspection) == {"sup", "sup2", "leader"}
    world.visited(inspection)  # a finding about A
    assert _sees(world, inspection) == {"sup", "sup2", "leader", "liaison_a", "head_a"}


def test_a_team_member_outside_the_scope_sees_it(world):
    inspection = world.make(team_members=[world.sup2, world.sup_out])
    assert "sup_out" in _sees(world, inspection)


def test_units_see_only_their_own_findings_and_no_records(world):
    inspection = world.make()
    run_daily(today=dt.date(2026, 10, 8))
    finding_a = world.visited(inspection)
    with clock.pinned_today(dt.date(2026, 10, 12)):
        from luoshi.campaigns.services.findings import finding_add

        finding_b = finding_add(
            actor=world.sup, inspection=inspection, unit=world.b, title="B 的问题", detail="..."
        )
    assert set(access.visible_findings(world.liaison_a, inspection)) == {finding_a}
    assert set(access.visible_findings(world.liaison_b, inspection)) == {finding_b}
    assert set(access.visible_findings(world.leader, inspection)) == {finding_a, finding_b}
    assert not access.visible_records(world.liaison_a, inspection).exists()
    assert access.visible_records(world.leader, inspection).count() == 1
    assert access.get_finding_for_user(world.head_a, finding_a.pk) == finding_a
    with pytest.raises(Http404):
        access.get_finding_for_user(world.liaison_a, finding_b.pk)
    with pytest.raises(Http404):
        access.get_finding_for_user(world.liaison_c, finding_a.pk)
    with pytest.raises(Http404):
        access.get_finding_for_user(world.sysadmin, finding_a.pk)
    photo = inspection.records.get().files.get()
    assert access.get_record_file_for_user(world.leader, photo.pk) == photo
    with pytest.raises(Http404):
        access.get_record_file_for_user(world.liaison_a, photo.pk)


def test_get_inspection_refusals(world):
    inspection = world.make()
    for outsider in (world.liaison_c, world.sysadmin, world.auditor, world.sup_out):
        with pytest.raises(Http404):
            access.get_inspection_for_user(outsider, inspection.pk)
    with pytest.raises(PermissionDenied):
        access.get_inspection_for_user(world.leader, inspection.pk, "manage")
    assert access.get_inspection_for_user(world.sup2, inspection.pk, "manage") == inspection
    with pytest.raises(PermissionDenied):
        access.get_inspection_for_user(world.leader, inspection.pk, "record")
    draft = world.make(launch=False)
    with pytest.raises(PermissionDenied) as exc:
        access.get_inspection_for_user(world.sup, draft.pk, "record")
    assert "草拟" in str(exc.value)


def test_a_unit_may_not_download_the_whole_report(world):
    inspection = world.make()
    run_daily(today=dt.date(2026, 10, 8))
    with pytest.raises(Http404):
        access.get_report_for_user(world.leader, inspection.pk)  # not yet issued
    with pytest.raises(PermissionDenied):
        access.get_report_for_user(world.liaison_a, inspection.pk)
