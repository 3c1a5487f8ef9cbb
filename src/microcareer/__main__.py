"""``python -m microcareer``: the same as the ``microcareer`` command."""

from microcareer.cli.main import main

main()
