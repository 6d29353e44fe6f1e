"""Stand-ins for the apps' `daily` modules, to test how the tick runs its steps."""

CALLS: list[tuple[str, object]] = []
