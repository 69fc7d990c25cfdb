import sys

from tests.golden import refresh

if sys.argv[1:] != ["refresh"]:
    raise SystemExit("usage: python -m tests.golden refresh")
refresh()
