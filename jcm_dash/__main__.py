"""Entry point for ``python -m jcm_dash``."""

import sys

from jcm_dash.cli import main

sys.exit(main())
