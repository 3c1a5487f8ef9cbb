"""The micro-job marketplace (issue 6): jobs, applications, contracts, ledger, reputation, dashboard."""
