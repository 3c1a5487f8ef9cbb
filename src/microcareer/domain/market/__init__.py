"""Labour-market intelligence from job postings (issue 19): postings read from files, near-duplicates,
demand (shares, lift, pay), monthly trends with a test and false-discovery control, the demo corpus."""
