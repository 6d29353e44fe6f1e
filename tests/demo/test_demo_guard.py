"""`luoshi demo` only loads into an empty database."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from luoshi.org.models import Unit, UnitKind
from luoshi.org.services import unit_create

pytestmark = pytest.mark.django_db


def test_demo_refuses_a_database_that_holds_real_units():
    unit_create(actor=None, name="某市人民政府", kind=UnitKind.GOVERNMENT)
    with pytest.raises(CommandError, match="只能装入空数据库"):
        call_command("demo", stdout=StringIO())
    assert list(Unit.objects.values_list("name", flat=True)) == ["某市人民政府"]
