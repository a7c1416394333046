"""``python -m codev.app``: the workbench (what ``codev app`` runs)."""

import sys

from .cli import main

sys.exit(main())
