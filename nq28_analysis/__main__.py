"""``python -m nq28_analysis`` runs the ``nq28`` command."""

import sys

from .cli import main

sys.exit(main())
