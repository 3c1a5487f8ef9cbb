"""Profiles: skills backed by evidence, their confidence over time, the gap to a target, a career's shape."""
