"""Shared entry-point wrapper: bad input ends in one clear line, not a traceback."""
import sys

from serda.errors import SerdaError


def run_cli(main, argv=None):
    """Call ``main(argv)``; print a SerdaError as ``error: ...`` and return 1."""
    try:
        return main(argv) or 0
    except SerdaError as err:
        prog = sys.argv[0].rsplit("/", 1)[-1]
        print(f"{prog}: error: {err}", file=sys.stderr)
        return 1
