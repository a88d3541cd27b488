"""Files written whole or not at all, and disk errors said in one line.

Every output serda writes (tables, checkpoints, metrics, predictions) goes
to ``<name>.tmp<pid>`` and is renamed into place, so a killed job never
leaves a half file a rerun would trust. The one exception is a trial's
``metrics.jsonl``, a log appended to every epoch and rewritten whole from
the resume checkpoint when training resumes (serda.train.trial_log). A
write that fails on a full disk, a quota, a read-only file system or
missing permission raises :class:`DiskError` naming the file and the reason
("no space left on device"), after removing the temporary file; temporary
files a killed run left behind are removed by the next run
(:func:`remove_stale`).
"""
import errno
import os
from pathlib import Path

from serda.errors import SerdaError

REASONS = {errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded",
           errno.EROFS: "read-only file system", errno.EACCES: "permission denied",
           errno.EPERM: "operation not permitted"}


class DiskError(SerdaError):
    """A file could not be written: the message names it and why."""


def disk_error(path, err):
    """A :class:`DiskError` for ``path`` from the OSError ``err``."""
    return DiskError(f"cannot write {path}: {REASONS.get(err.errno, err.strerror or str(err))}")


def tmp_name(path):
    path = Path(path)
    return path.with_name(f"{path.name}.tmp{os.getpid()}")


def write_atomic(path, write, mode="wb"):
    """Call ``write(file)`` on ``path``'s temporary file, then rename it to
    ``path``; on an OSError remove it and raise :class:`DiskError`."""
    path = Path(path)
    tmp = tmp_name(path)
    try:
        with open(tmp, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            write(f)
        os.replace(tmp, path)
    except OSError as err:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise disk_error(path, err) from None


def append_text(path, text):
    """Append ``text`` to ``path`` in one write call (a killed job leaves
    whole lines); on an OSError raise :class:`DiskError`."""
    try:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text)
    except OSError as err:
        raise disk_error(path, err) from None


def remove_stale(directory, name):
    """Remove ``name.tmp*`` files under ``directory`` (a killed run's)."""
    for p in Path(directory).glob(f"{name}.tmp*"):
        p.unlink(missing_ok=True)
