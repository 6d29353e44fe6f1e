"""What a log-in puts in the session, and the gate a half-finished log-in leaves.

Keys (all under "sec_"):
  sec_auth_at, sec_seen   log-in time and last activity, epoch seconds (wall time)
  sec_idle, sec_life      the policy's idle timeout and absolute lifetime, in seconds, as they
                          were at log-in (a policy change applies to the next log-in)
  sec_gate                "password" (must change it) or "enrol" (must enrol a second factor):
                          until done, only those pages, log-out and the language switch open
  sec_pending             between the password and the second-factor step: who, since when,
                          where to go next (the user is not logged in yet)
"""

from __future__ import annotations

from django.utils import timezone

from luoshi.security.services.passwords import password_change_reason
from luoshi.security.services.policy import security_policy
from luoshi.security.services.totp import totp_enrolled, totp_required

GATE_PASSWORD = "password"
GATE_ENROL = "enrol"
PENDING_SECONDS = 300


def now_ts() -> float:
    """Wall time, not clock.now(): a pinned business day (clock.pinned_today, `--today`)
    must neither age nor freeze a session."""
    return timezone.now().timestamp()


def gate_for(user) -> str:
    if password_change_reason(user):
        return GATE_PASSWORD
    if totp_required(user) and not totp_enrolled(user):
        return GATE_ENROL
    return ""


def session_start(request, user) -> None:
    """Right after django.contrib.auth.login (which gave the session a new key)."""
    policy = security_policy()
    now = now_ts()
    request.session["sec_auth_at"] = now
    request.session["sec_seen"] = now
    request.session["sec_idle"] = policy.idle_timeout_minutes * 60
    request.session["sec_life"] = policy.session_lifetime_hours * 3600
    gate_refresh(request, user)


def gate_refresh(request, user) -> str:
    gate = gate_for(user)
    if gate:
        request.session["sec_gate"] = gate
    else:
        request.session.pop("sec_gate", None)
    return gate


def session_expired(session) -> str:
    """ "idle" or "lifetime" when the session must end now, else ""."""
    if "sec_auth_at" not in session:
        return ""
    now = now_ts()
    if now - session.get("sec_seen", now) > session.get("sec_idle", 1800):
        return "idle"
    if now - session["sec_auth_at"] > session.get("sec_life", 8 * 3600):
        return "lifetime"
    return ""
