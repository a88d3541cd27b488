"""Read and write Kaldi text tables: one ``<key> <value>`` per line.

Tables are kept as ordered ``dict`` objects (key -> value string). Writing
sorts keys in C-locale (byte) order, the order ``LC_ALL=C sort`` gives, and
writes through a temporary file renamed into place so a killed process never
leaves a half table behind.
"""

from serda.atomic import write_atomic
from serda.errors import InputError
from serda.textfile import read_utf8


def c_sorted(keys):
    """Keys sorted as ``LC_ALL=C sort`` sorts them (by UTF-8 bytes).

    UTF-8 keeps the order of code points (a longer encoding starts with a
    larger lead byte), so Python's code-point order of the decoded strings
    is the byte order; sorting the str keys themselves gives it without
    encoding each key."""
    return sorted(keys)


def read_table(path, allow_empty_value=False):
    """Read ``<key> <value>`` lines into an ordered dict.

    Raises :class:`InputError` naming file and line on a duplicate key, a
    line without a value (unless ``allow_empty_value``) or a blank line.
    File order is kept; use :func:`check_sorted` to test it.
    """
    lines = read_utf8(path).split("\n")
    if lines[-1] == "":
        lines.pop()
    pairs = [line.split(maxsplit=1) for line in lines]
    table = {p[0]: p[1].strip() for p in pairs if len(p) == 2}
    if len(table) == len(lines):
        return table          # well formed: no blank, key-only or repeated line
    return _read_table_checked(path, lines, allow_empty_value)


def _read_table_checked(path, lines, allow_empty_value):
    """read_table's line-by-line reading, raising at the first bad line."""
    table = {}
    for lineno, text in enumerate(lines, 1):
        if not text.strip():
            raise InputError(path, "empty line", lineno)
        parts = text.split(maxsplit=1)
        key = parts[0]
        value = parts[1].strip() if len(parts) > 1 else ""
        if not value and not allow_empty_value:
            raise InputError(path, f"key '{key}' has no value", lineno, text)
        if key in table:
            raise InputError(path, f"duplicate key '{key}'", lineno, text)
        table[key] = value
    return table


def check_sorted(path, keys):
    """Raise :class:`InputError` at the first key out of C-locale order."""
    prev = None
    for lineno, key in enumerate(keys, 1):
        if prev is not None and key < prev:       # byte order (c_sorted)
            raise InputError(
                path, f"not sorted (LC_ALL=C): '{key}' comes after '{prev}'",
                lineno)
        prev = key


def write_table(path, table, sort=True):
    """Write ``table`` (dict key -> value, value str or list) atomically."""
    keys = c_sorted(table) if sort else list(table)

    def write(f):
        for key in keys:
            value = table[key]
            if isinstance(value, (list, tuple)):
                value = " ".join(str(v) for v in value)
            f.write(f"{key} {value}\n")
    write_atomic(path, write, "w")


def write_lines(path, lines):
    """Write text lines atomically (used for lists such as bad_utts)."""
    write_atomic(path, lambda f: f.writelines(line.rstrip("\n") + "\n" for line in lines), "w")
