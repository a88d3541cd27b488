"""Exception types whose messages name the offending file and line."""


class SerdaError(Exception):
    """Base class of every error serda raises on bad input."""


class InputError(SerdaError):
    """Bad input: a message naming ``path`` and (when known) ``lineno``.

    >>> str(InputError("data/x/utt2spk", "duplicate key 'a'", 3))
    "data/x/utt2spk:3: duplicate key 'a'"
    """

    def __init__(self, path, message, lineno=None, line=None):
        self.path = str(path)
        self.lineno = lineno
        self.line = line
        where = self.path if lineno is None else f"{self.path}:{lineno}"
        text = f"{where}: {message}"
        if line is not None:
            text += f"\n    line: {line.rstrip()!r}"
        super().__init__(text)
