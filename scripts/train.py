"""Train the bundled model: `python scripts/train.py [--seed N] [--out models]`.

Same as `cleaner train`; kept as a script so training runs from a checkout
without installing the console script.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner.cli import run  # noqa: E402

if __name__ == "__main__":
    sys.argv[1:1] = ["train"]
    run()  # errors as one line, as from `cleaner train`
