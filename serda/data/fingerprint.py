"""A short fingerprint of a data directory's inputs, for skip-if-done stamps.

python -m serda.data.fingerprint <data-dir>

Hashes utt2spk, wav.scp and segments, plus the size and modification time
of every audio file wav.scp names, so that regenerated audio under the
same paths (a re-synthesised corpus, a re-downloaded file) makes a stage
redo its work. Commands (``... |``) are hashed as text.
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


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m serda.data.fingerprint <data-dir>")
    print(data_fingerprint(sys.argv[1]))
