"""A world for backups: units and users made through the services (so audited), an upload in
a media folder of the test's own, and a second database alias to restore into ("restored":
a fresh SQLite file, or a fresh PostgreSQL database)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.db.utils import load_backend

from luoshi.org.models import Role, UnitKind
from luoshi.org.services import unit_create, user_create

UPLOAD_BYTES = bytes(range(256)) * 40 + "督查报告".encode()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def backup_world(media):
    city = unit_create(actor=None, name="市政府", kind=UnitKind.GOVERNMENT)
    office = unit_create(actor=None, name="市发展改革委", kind=UnitKind.DEPARTMENT, parent=city)
    user_create(
        actor=None,
        username="lly",
        password="pw-Secret-2026",
        role=Role.LIAISON,
        unit=office,
        full_name="联络员",
    )
    name = default_storage.save("attachments/2026/report.pdf", ContentFile(UPLOAD_BYTES))
    return {"upload": name, "unit": office}


@pytest.fixture
def restored_alias(tmp_path):
    """A fresh, empty database under the alias "restored"."""
    conf = dict(connections.settings["default"])
    if connection.vendor == "postgresql":
        name = f"{conf['NAME']}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        conf["NAME"] = name
    else:
        conf["NAME"] = str(tmp_path / "restored.sqlite3")
    # made by hand, not listed in settings: Django's test case allows such a connection
    connections["restored"] = load_backend(conf["ENGINE"]).DatabaseWrapper(conf, "restored")
    yield "restored"
    connections["restored"].close()
    del connections["restored"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{conf["NAME"]}" WITH (FORCE)')
