"""Prose figures: numbers, metrics and breakdowns stated in the report's sentences."""
