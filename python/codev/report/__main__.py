"""``python -m codev.report``: the funding brief (what ``codev report`` runs)."""

import sys

from .brief import main

sys.exit(main())
