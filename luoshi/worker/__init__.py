"""The background worker (后台任务): huey's consumer runs the jobs of every app's `jobs.py`.

Why huey: a durable queue with a periodic scheduler built in, small and well kept; its SQLite
storage needs no extra server (the embedded default: a file in LUOSHI_DATA_DIR), and its Redis
storage serves production with several workers (LUOSHI_QUEUE_URL=redis://…).

    luoshi run_huey --workers 2     (or `luoshi worker`; `make run` starts it beside the web)

Jobs take ids and dates, never model instances, are enqueued with transaction.on_commit, and
only call services. Tests run them at once, in the caller (HUEY immediate=True).
"""
