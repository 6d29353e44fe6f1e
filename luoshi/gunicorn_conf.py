"""gunicorn's configuration for Luoshi: several worker processes behind one address.

    luoshi serve                                   (runs collectstatic, then the line below)
    gunicorn -c python:luoshi.gunicorn_conf luoshi.wsgi:application

Environment (docs/SCALE.md):
  LUOSHI_BIND           address(es), comma separated (127.0.0.1:8000; unix:/run/luoshi.sock)
  LUOSHI_WEB_WORKERS    processes (default 2 × cores + 1)
  LUOSHI_WEB_THREADS    threads per process (default 1: sync workers; >1: gthread)
  LUOSHI_WEB_TIMEOUT    seconds before a silent worker is killed and replaced (60)
  LUOSHI_ACCESS_LOG     access log file, "-" for stdout (default), "" for none
  LUOSHI_FORWARDED_ALLOW_IPS  the reverse proxy's addresses trusted for X-Forwarded-* (127.0.0.1)

Graceful reload (new code, same address, no request dropped): `kill -HUP <master pid>` —
the master starts new workers, which import the application afresh (no preload), and lets
the old ones finish their requests. `kill -TERM` stops gracefully, waiting up to
graceful_timeout seconds for requests in flight.
"""

from __future__ import annotations

import os

_cores = os.cpu_count() or 1

bind = [a.strip() for a in os.environ.get("LUOSHI_BIND", "127.0.0.1:8000").split(",") if a]
workers = int(os.environ.get("LUOSHI_WEB_WORKERS") or 2 * _cores + 1)
threads = int(os.environ.get("LUOSHI_WEB_THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("LUOSHI_WEB_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5
# a worker is replaced after this many requests (bounds any slow growth of its memory);
# the jitter keeps the workers from restarting at the same moment
max_requests = 2000
max_requests_jitter = 200
# the workers' heartbeat files in memory, not on a disk that may stall
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
preload_app = False  # HUP reloads the code

accesslog = os.environ.get("LUOSHI_ACCESS_LOG", "-") or None
# client, user, time, request line, status, bytes, referrer, agent, duration in milliseconds,
# the worker process that served it
access_log_format = '%(h)s %(u)s %(t)s "%(r)s" %(s)s %(B)s "%(f)s" "%(a)s" %(M)sms pid=%(p)s'
errorlog = "-"
loglevel = os.environ.get("LUOSHI_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("LUOSHI_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "luoshi"

# A web request never holds a PostgreSQL statement longer than this (the workers inherit the
# variable; luoshi/settings.py applies it). Background jobs and commands have no such limit.
os.environ.setdefault("LUOSHI_DB_STATEMENT_TIMEOUT", "30000")
