"""The demo's clues: every state of the office's list and the public status page."""

from __future__ import annotations

from types import SimpleNamespace

from luoshi.clues.models import Clue, ClueState
from luoshi.clues.status import public_status
from luoshi.demo.clues import build_clues


def test_the_demo_clues_cover_every_state(world, today):
    units = {"dcq": world.district, "zjj": world.a, "xcq": world.b, "rsj": world.a}
    people = SimpleNamespace(supervisor=world.sup, liaisons={"zjj": world.liaison_a})
    build_clues(people=people, units=units, today=today)
    states = {c.state for c in Clue.objects.all()}
    assert states == {ClueState.NEW, ClueState.TASK, ClueState.MERGED, ClueState.REJECTED}
    public = {public_status(c).code for c in Clue.objects.select_related("task")}
    assert public == {"received", "in_progress", "done", "merged", "rejected"}
    assert Clue.objects.exclude(contact="").count() == 2
    build_clues(people=people, units=units, today=today)  # loaded once
    assert Clue.objects.count() == 6
