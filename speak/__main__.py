"""``python -m speak`` runs the command line."""

from speak.cli import main

main()
