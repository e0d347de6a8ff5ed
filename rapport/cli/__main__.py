"""``python -m rapport.cli`` is the ``rapport`` command."""

from rapport.cli import main

main()
