"""Run a satisfaction-loyalty study: ``python analysis.py [STUDY.yaml] [--help]``."""

import sys

from study.cli import main

if __name__ == "__main__":
    sys.exit(main())
