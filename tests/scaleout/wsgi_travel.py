"""The WSGI application of the scale-out test's gunicorn workers: Luoshi on the run's clock."""

from scaleout.travel import start_travel

start_travel()

from luoshi.wsgi import application  # noqa: E402

__all__ = ["application"]
