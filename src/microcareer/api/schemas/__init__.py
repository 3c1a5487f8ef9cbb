"""Pydantic request and response models, by feature: ``XCreate``, ``XPublic``, ``XsPublic``."""
