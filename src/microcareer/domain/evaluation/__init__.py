"""Scoring skill extraction against labelled sentences: gold spans and gold ESCO URIs, no I/O."""
