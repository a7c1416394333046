"""``python -m codev.calibrate``, what the ``codev calibrate`` command runs."""

import sys

from . import main

sys.exit(main())
