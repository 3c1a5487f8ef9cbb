"""Matching both ways (issue 18): people for a micro-job and micro-jobs for a person, one model.

``facts`` holds what is compared (a person's skills and terms, a job's skills and terms), ``scoring``
the one model with its explanation, ``lists`` the person's three lists (fit now, stretch, internal),
``diversity`` near-duplicate suppression, ``index`` the NumPy/SciPy inverted index for candidate
generation at scale, ``exposure`` the exposure-by-account-age report. See docs/matching.md.
"""
