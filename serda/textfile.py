"""Text files read as UTF-8, with a one-line error when one is not.

Label files of real corpora are edited by hand and saved by spreadsheet
programs: Latin-1 (an accented speaker name, a French comment in RECOLA's
ratings) or a byte-order mark at the top are common. :func:`read_utf8` gives
the text with universal newlines and without a leading byte-order mark, and
a file that is not UTF-8 is an InputError naming the file, the line and the
column and value of the first bad byte, with the conversion to run.
"""
from pathlib import Path

from serda.errors import InputError


def read_utf8(path):
    """The text of ``path`` (UTF-8; CRLF and CR read as LF; a leading BOM
    dropped); InputError at the first byte sequence that is not UTF-8."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        lineno = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise InputError(path, f"not UTF-8 text: byte 0x{data[err.start]:02x} at column "
                               f"{column} (convert the file, e.g. iconv -f latin1 -t utf-8)",
                         lineno) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")
