"""``python -m codev.report``: the funding brief (what ``codev report`` runs)."""

import sys

from .cli import main

sys.exit(main())
