"""Entry point: `python build.py [split [--force] | build [--strict] [--out DIR]]`."""
from duben.cli import run

run()
