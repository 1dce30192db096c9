"""Benchmarks that print figures: `python -m bench.scale --paragraphs 100000`."""
