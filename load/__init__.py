"""The deadline-rush load test (issue 8, "proven, not promised"): docs/LOADTEST.md."""
