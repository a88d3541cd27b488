"""A short fingerprint of a data directory's inputs, for skip-if-done stamps.

python -m serda.data.fingerprint <data-dir>

Hashes utt2spk, wav.scp and segments, plus the size and modification time
of every audio file wav.scp names, so that regenerated audio under the
same paths (a re-synthesised corpus, a re-downloaded file) makes a stage
redo its work. Commands (``... |``) are hashed as text.

A feature dir made by combining or subsetting finished feature dirs
(utils/combine_data.py, utils/subset_data_dir.py on dump/<feat>/<set>) gets
a ``.done`` stamp derived from its inputs' stamps (:func:`write_derived_stamp`),
so later stages see it as finished and notice when an input changes.
"""
import hashlib
import os
import sys
from pathlib import Path


def data_fingerprint(data_dir):
    """16 hex digits identifying the tables and audio of ``data_dir``."""
    data_dir = Path(data_dir)
    h = hashlib.sha256()
    for name in ("utt2spk", "wav.scp", "segments"):
        if (data_dir / name).is_file():
            h.update(name.encode() + b"\0" + (data_dir / name).read_bytes())
    if (data_dir / "wav.scp").is_file():
        for line in (data_dir / "wav.scp").read_text(encoding="utf-8").splitlines():
            value = line.partition(" ")[2].strip()
            if value and not value.endswith("|"):
                try:
                    st = os.stat(value)
                    h.update(f"{value} {st.st_size} {st.st_mtime_ns}\n".encode())
                except OSError:
                    h.update(f"{value} missing\n".encode())
    return h.hexdigest()[:16]


DONE = ".done"


def write_derived_stamp(dest, srcs, utts, how):
    """Write ``dest/.done`` naming each input's ``.done`` (hashed) and the
    utterances kept, when every input has one; otherwise remove a stale one.
    ``how``: "combined" or "subset". Returns True when a stamp was written."""
    dest = Path(dest)
    stamps = [Path(s) / DONE for s in srcs]
    if not all(p.is_file() for p in stamps):
        (dest / DONE).unlink(missing_ok=True)
        return False
    parts = [f"{s}:{hashlib.sha256(p.read_bytes()).hexdigest()[:16]}" for s, p in zip(srcs, stamps)]
    chosen = hashlib.sha256("\n".join(sorted(utts)).encode()).hexdigest()[:16]
    (dest / DONE).write_text(f"{how} from {' '.join(parts)} utts={chosen}\n", encoding="utf-8")
    return True


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m serda.data.fingerprint <data-dir>")
    print(data_fingerprint(sys.argv[1]))
