"""Skill assessments (issue 22): question items scored automatically, work samples scored by a named
reviewer with a rubric, and the rules of an attempt (how many, how often, how long, which items)."""
