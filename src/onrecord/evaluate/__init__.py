"""Evaluate: gold formats and scorers that measure onrecord against annotated data."""
