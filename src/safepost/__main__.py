"""`python -m safepost` runs the command line."""

from .cli import run

run()
