"""Plain Python: the concepts and algorithms of microcareer, with no I/O and no framework."""
