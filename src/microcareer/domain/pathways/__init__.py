"""Pathways (issue 20): which steps (microcredentials, courses, assessments, micro-jobs) close a gap, in
what order, at what cost, in what time and with what income on the way."""
