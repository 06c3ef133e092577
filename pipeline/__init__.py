"""Orchestration: sources, the per-report extraction function, storage, runs and the CLI."""
