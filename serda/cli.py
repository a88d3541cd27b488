"""Shared entry-point wrapper: bad input ends in one clear line, not a traceback."""
import sys

from serda.errors import SerdaError


def run_cli(main, argv=None):
    """Call ``main(argv)``; print a SerdaError, or an OSError the code did
    not name itself (a folder that cannot be read or written), as one
    ``error: ...`` line and return 1."""
    prog = sys.argv[0].rsplit("/", 1)[-1]
    try:
        return main(argv) or 0
    except SerdaError as err:
        print(f"{prog}: error: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        print(f"{prog}: error: {where}{err.strerror or err}", file=sys.stderr)
        return 1
