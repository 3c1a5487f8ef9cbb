"""The REST API under /api/v1: thin routes over the services, errors as RFC 9457 problem details."""
