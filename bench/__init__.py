"""Benchmarks (`make bench`): timings kept in the repository, never in unit tests."""
