"""Use cases: each opens a unit of work, asks ``access.authorize`` who may, calls the domain, commits."""
