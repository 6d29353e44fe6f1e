"""工作台: the first page after log-in, different for each role."""

from __future__ import annotations

from django.shortcuts import redirect, render

from luoshi.access.views import rule
from luoshi.home import panels
from luoshi.lib import clock
from luoshi.org.models import Role

PANELS = {
    Role.LIAISON: ("home/unit.html", panels.unit_home),
    Role.UNIT_HEAD: ("home/unit.html", panels.unit_home),
    Role.SUPERVISOR: ("home/supervisor.html", panels.supervisor_home),
    Role.LEADER: ("home/leader.html", panels.leader_home),
    Role.SYSADMIN: ("home/sysadmin.html", panels.sysadmin_home),
    Role.SECADMIN: ("home/secadmin.html", panels.secadmin_home),
}


@rule("home.view")
def home(request):
    user = request.user
    if user.role == Role.AUDITOR:
        return redirect("audit:log")
    template, build = PANELS[user.role]
    today = clock.today()
    return render(request, template, {"today": today, **build(user, today)})
