"""``python -m analisis.synth``: see :mod:`analisis.synth.cli`."""

import sys

from analisis.synth.cli import main

if __name__ == "__main__":
    sys.exit(main())
