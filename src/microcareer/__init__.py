"""microcareer: careers built from microcompetencies, microcredentials and micro-jobs."""

__version__ = "0.1.0"
