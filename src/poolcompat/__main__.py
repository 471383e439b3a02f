import os
import sys

# `python -m` puts the working directory first on sys.path: a multiprocessing.py (or any
# module) in the directory being checked would shadow the stdlib and run. poolcompat itself is
# never found there when installed, so the entry goes before anything else is imported.
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == os.getcwd():
    del sys.path[0]

from poolcompat.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
