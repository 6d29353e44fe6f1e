"""The supervised unit's side: its notices, findings (with the statement form) and
rectifications — its own unit's only."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from luoshi.access import campaigns as access
from luoshi.access.views import rule
from luoshi.campaigns.models import Finding, InspectionNotice, Rectification
from luoshi.campaigns.services.notices import notice_mark_read
from luoshi.lib import clock


@rule("campaign.unit")
@require_safe
def unit_home(request):
    user = request.user
    unit_id = user.unit_id
    notices = InspectionNotice.objects.filter(unit_id=unit_id).select_related("inspection")
    findings = Finding.objects.filter(unit_id=unit_id).select_related("inspection")
    rectifications = Rectification.objects.filter(finding__unit_id=unit_id).select_related(
        "task", "finding__inspection"
    )
    return render(
        request,
        "campaigns/unit_home.html",
        {
            "notices": notices.order_by("-sent_at"),
            "findings": findings.order_by("-created_at"),
            "rectifications": rectifications.order_by("-created_at"),
            "today": clock.today(),
        },
    )


@rule("campaign.view")
@require_safe
def notice_detail(request, pk: int):
    notice = access.get_notice_for_user(request.user, pk)
    notice = notice_mark_read(actor=request.user, notice=notice)
    inspection = notice.inspection
    return render(
        request,
        "campaigns/notice_detail.html",
        {"notice": notice, "inspection": inspection, "today": clock.today()},
    )
