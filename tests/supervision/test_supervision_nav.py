"""The main menu leads to the notices (office and leaders) and to the ladder (office only)."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("who", "notices", "ladder"),
    [("sup", True, True), ("leader", True, False), ("liaison_a", False, False)],
)
def test_menu_entries_follow_the_policy(world, login, who, notices, ladder):
    page = login(getattr(world, who)).get(reverse("home")).content.decode()
    nav = page[page.index('class="mainnav"') : page.index("</nav>")]
    assert (f'href="{reverse("supervision:notices")}"' in nav) is notices
    assert (f'href="{reverse("supervision:ladder")}"' in nav) is ladder
