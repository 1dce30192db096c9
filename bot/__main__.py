"""`python -m bot` is the `qabot` command line."""

import sys

from .cli import main

sys.exit(main())
