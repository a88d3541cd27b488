"""Short fingerprints of what a stage reads, for skip-if-done stamps.

python -m serda.data.fingerprint <data-dir>           # what features derive from
python -m serda.data.fingerprint --tables <data-dir>  # labels and other tables
python -m serda.data.fingerprint --tree <path>        # a corpus as distributed

The dependency graph, each arrow a stamp the later stage compares:

    corpus files --tree--> data dir --audio--> features --> statistics
                           data dir --tables--------------------------+
    features, statistics, tables, training conf --> trained system --> decode --> tables

:func:`data_fingerprint` (the audio side: what feature extraction reads)
hashes the utterance list, wav.scp and segments, plus the size and
modification time of every audio file wav.scp names, so that regenerated
audio under the same paths (a re-synthesised corpus, a re-downloaded file)
makes a stage redo its work; commands (``... |``) are hashed as text.
:func:`tables_fingerprint` hashes everything else a data dir holds
(labels, speakers, genders, attributes.yaml): a changed label reaches the
feature dirs' copies of the tables and the trained systems, without
extracting features again. :func:`tree_fingerprint` hashes the relative
path, size and modification time of every file below a corpus root (or of
the one manifest file), so an edited label file deep inside a corpus makes
stage 1 prepare it again.

A feature dir made by combining or subsetting finished feature dirs
(utils/combine_data.py, utils/subset_data_dir.py on dump/<feat>/<set>) gets
a ``.done`` stamp derived from its inputs' stamps (:func:`write_derived_stamp`),
so later stages see it as finished and notice when an input changes.
"""
import hashlib
import os
import sys
from pathlib import Path


AUDIO_TABLES = ("wav.scp", "segments")
# written by the feature stage itself, not copied from the data dir
FEATURE_TABLES = ("feats.scp", "utt2num_frames", "bad_utts", "audio_notes", "spk2utt")
STAMP_FILES = (".done", ".stamp", ".serda.lock", ".serda.lock.owner")


def data_fingerprint(data_dir):
    """16 hex digits identifying the utterances and audio of ``data_dir``."""
    data_dir = Path(data_dir)
    h = hashlib.sha256()
    if (data_dir / "utt2spk").is_file():
        utts = [line.split(maxsplit=1)[0] for line in
                (data_dir / "utt2spk").read_text(encoding="utf-8").splitlines() if line.strip()]
        h.update(b"utts\0" + "\n".join(utts).encode())
    for name in AUDIO_TABLES:
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


def table_files(data_dir):
    """The files of ``data_dir`` that are neither audio tables, nor made by
    the feature stage, nor stamps: labels, speakers, attributes.yaml, ..."""
    skip = set(AUDIO_TABLES) | set(FEATURE_TABLES) | set(STAMP_FILES)
    return sorted(p for p in Path(data_dir).iterdir()
                  if p.is_file() and p.name not in skip and not p.name.endswith(".npz")
                  and not p.name.startswith(".") and p.name != "features.yaml")


LABEL_TABLES = ("utt2emo", "utt2emo_native", "utt2arousal", "utt2valence", "utt2dominance")


def tables_fingerprint(data_dir, skip=()):
    """16 hex digits identifying the label and speaker tables and
    attributes.yaml of ``data_dir`` (see :func:`table_files`), less the
    tables named in ``skip``."""
    h = hashlib.sha256()
    for path in table_files(data_dir):
        if path.name in skip:
            continue
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def tree_fingerprint(root):
    """16 hex digits from the relative path, size and modification time of
    every file below ``root`` (or of ``root`` itself when it is a file)."""
    root = Path(root)
    h = hashlib.sha256()
    if root.is_file():
        paths = [root]
    else:
        paths = sorted(Path(d) / f for d, _, files in os.walk(root, followlinks=True)
                       for f in files)
    for path in paths:
        try:
            st = path.stat()
            h.update(f"{path.relative_to(root) if path != root else path.name} "
                     f"{st.st_size} {st.st_mtime_ns}\n".encode())
        except OSError:
            h.update(f"{path} unreadable\n".encode())
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
    kinds = {"--tables": tables_fingerprint, "--tree": tree_fingerprint}
    if len(sys.argv) == 2:
        print(data_fingerprint(sys.argv[1]))
    elif len(sys.argv) == 3 and sys.argv[1] in kinds:
        print(kinds[sys.argv[1]](sys.argv[2]))
    else:
        sys.exit("usage: python -m serda.data.fingerprint [--tables | --tree] <path>")
