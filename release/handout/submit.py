"""Check your notebook and package it for Gradescope: `python submit.py` in this folder.

Your notebook is only read, never changed. `python submit.py --help` lists the options;
the work is done by linclass/collect.py.
"""

import sys

from linclass.collect import main

if __name__ == "__main__":
    sys.exit(main())
