"""The demo's accounts under production rules: the published password logs in without a
forced change, and the three administrators pass the second factor with the published key."""

from __future__ import annotations

import pyotp
import pytest
from django.urls import reverse

from luoshi.demo.people import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    build_people,
    password_ages_restart,
)
from luoshi.demo.units import build_units
from luoshi.lib import clock
from tests.security.world import post_code, post_login


@pytest.fixture
def demo(db, at):
    with clock.pinned_today(clock.today().replace(month=6)):
        build_people(build_units(None))
    password_ages_restart()


def test_a_demo_liaison_logs_in_with_the_published_password(client, demo, enforce):
    assert post_login(client, "fgw_lly", DEMO_PASSWORD)["Location"] == reverse("home")


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_demo_admins_pass_the_second_factor_with_the_published_key(
    client, demo, enforce, at, username
):
    now = at(0)
    assert post_login(client, username, DEMO_PASSWORD)["Location"] == reverse("security:login_code")
    response = post_code(client, pyotp.TOTP(DEMO_TOTP_SECRET).at(now))
    assert response["Location"] == reverse("home")
