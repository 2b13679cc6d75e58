"""Start the studio: `python app.py` is the same as `nextads serve`."""

import sys

from nextads_studio.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
