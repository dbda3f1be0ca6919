"""Benchmarks of the Task Manager API (run: ``python -m benchmarks.run --help``)."""
