"""Entry point: `python build.py [split [--force] | build [--strict] [--out DIR]]`."""
import sys

from duben.cli import main

sys.exit(main())
