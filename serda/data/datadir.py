"""A Kaldi data directory held in memory.

A data directory is the contract between stages (format in DESIGN.md):
text tables keyed by utterance id (``utt2spk``, ``utt2emo``, ...), keyed by
recording id (``wav.scp`` when ``segments`` exists), ``spk2utt`` derived from
``utt2spk``, and ``attributes.yaml`` declaring corpus, language and the scale
of every dimensional label. :class:`DataDir` loads every known file, and
writes them back sorted, each through a temporary file.
"""
import shutil
from pathlib import Path

import yaml

from serda.data.table import c_sorted, read_table, write_lines, write_table
from serda.errors import InputError
from serda.textfile import read_utf8
from serda.yamlfile import DuplicateKeyError, load_yaml

# Files keyed by utterance id (all must hold the same utterance set).
UTT_TABLES = (
    "utt2spk", "segments", "utt2gender", "utt2lang", "utt2emo",
    "utt2emo_native", "utt2arousal", "utt2valence", "utt2dominance",
    "utt2corpus", "utt2dur", "text", "feats.scp", "utt2num_frames",
)


def utt_table_names(path):
    """UTT_TABLES plus any further ``utt2*`` table in ``path`` (corpus
    extras such as utt2naturalness or utt2emo_acted), known ones first."""
    extra = sorted(p.name for p in Path(path).glob("utt2*")
                   if p.is_file() and p.name not in UTT_TABLES and "." not in p.name)
    return UTT_TABLES + tuple(extra)


# Dimensional labels (numeric, checked against attributes.yaml scales).
DIMENSIONS = ("arousal", "valence", "dominance")
# Files copied verbatim by subset/split/combine when present.
PLAIN_FILES = ("attributes.yaml", "norm_stats.npz", "norm_stats.yaml")



def read_attributes(data_dir):
    """The mapping in ``data_dir``/attributes.yaml ({} without one); an
    InputError naming the file when it is not UTF-8 or not valid YAML."""
    path = Path(data_dir) / "attributes.yaml"
    if not path.is_file():
        return {}
    try:
        return load_yaml(read_utf8(path)) or {}
    except DuplicateKeyError as err:
        raise InputError(path, str(err), err.line) from None
    except yaml.YAMLError as err:
        raise InputError(path, f"not valid YAML: {err}") from None

class DataDir:
    """Tables of one data directory.

    Attributes:
        path: the directory it was read from (or None).
        tables: file name -> {key: value string}, for every table present.
        attributes: parsed ``attributes.yaml`` (empty dict when absent).
    """

    def __init__(self, tables=None, attributes=None, path=None):
        self.tables = dict(tables or {})
        self.attributes = dict(attributes or {})
        self.path = Path(path) if path else None

    # ----------------------------------------------------------------- read
    @classmethod
    def load(cls, path):
        """Read every known table of ``path``; raise InputError on bad lines."""
        path = Path(path)
        if not path.is_dir():
            raise InputError(path, "data directory does not exist")
        if not (path / "utt2spk").is_file():
            raise InputError(path / "utt2spk", "missing (every data dir needs it)")
        tables = {}
        for name in utt_table_names(path) + ("wav.scp", "spk2utt"):
            file = path / name
            if file.is_file():
                tables[name] = read_table(file, allow_empty_value=(name == "text"))
        return cls(tables, read_attributes(path), path)

    # ---------------------------------------------------------------- views
    @property
    def utts(self):
        """Utterance ids in C-locale order."""
        return c_sorted(self.tables["utt2spk"])

    @property
    def utt2spk(self):
        return self.tables["utt2spk"]

    def spk2utt(self):
        """Speaker -> sorted list of its utterances, derived from utt2spk."""
        spk2utt = {}
        for utt in self.utts:
            spk2utt.setdefault(self.utt2spk[utt], []).append(utt)
        return spk2utt

    def has(self, name):
        return name in self.tables

    def get(self, name):
        """The table ``name``; InputError naming the file when it is absent."""
        if name not in self.tables:
            where = self.path / name if self.path else name
            raise InputError(where, "missing")
        return self.tables[name]

    def recordings_used(self, utts=None):
        """Recording ids (wav.scp keys) needed by ``utts``."""
        utts = self.utts if utts is None else utts
        if "segments" in self.tables:
            segs = self.tables["segments"]
            return {segs[u].split()[0] for u in utts if u in segs}
        return set(utts)

    def spk2gender(self):
        """Speaker -> gender (Kaldi's spk2gender, which Kaldi tools and lhotse
        read), from utt2gender; None when there is no utt2gender or a
        speaker's utterances disagree (Kaldi allows one gender per speaker)."""
        utt2gender = self.tables.get("utt2gender")
        if not utt2gender:
            return None
        out = {}
        for utt, spk in self.utt2spk.items():
            gender = utt2gender.get(utt)
            if gender is None or out.setdefault(spk, gender) != gender:
                return None
        return out

    # ------------------------------------------------------------ transform
    def subset(self, utts):
        """A new DataDir restricted to ``utts`` (in every table)."""
        keep = set(utts)
        recs = self.recordings_used(keep)
        tables = {}
        for name, table in self.tables.items():
            if name == "spk2utt":
                continue
            wanted = recs if name == "wav.scp" else keep
            tables[name] = {k: v for k, v in table.items() if k in wanted}
        return DataDir(tables, self.attributes, None)

    # ---------------------------------------------------------------- write
    def save(self, path, copy_from=None):
        """Write all tables (sorted) plus spk2utt and attributes.yaml.

        ``copy_from``: a directory whose plain files (norm stats...) are
        copied when present.
        """
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, table in self.tables.items():
            if name != "spk2utt":
                write_table(path / name, table)
        write_table(path / "spk2utt", {s: u for s, u in self.spk2utt().items()})
        spk2gender = self.spk2gender()
        if spk2gender:
            write_table(path / "spk2gender", spk2gender)
        elif (path / "spk2gender").is_file():
            (path / "spk2gender").unlink()
        if self.attributes:
            tmp = path / "attributes.yaml.tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                yaml.safe_dump(self.attributes, f, sort_keys=False)
            tmp.replace(path / "attributes.yaml")
        src = Path(copy_from) if copy_from else self.path
        if src is not None and src.resolve() != path.resolve():
            for name in PLAIN_FILES[1:]:
                if (src / name).is_file():
                    shutil.copyfile(src / name, path / name)
        self.path = path
        return path


def append_bad_utts(data_dir, entries):
    """Append ``(utt, reason)`` pairs to ``<data_dir>/bad_utts``.

    ``bad_utts`` is the trace of every utterance a stage left out: one
    ``<utt> <stage>: <reason>`` line each.
    """
    data_dir = Path(data_dir)
    file = data_dir / "bad_utts"
    lines = file.read_text(encoding="utf-8").splitlines() if file.is_file() else []
    lines += [f"{utt} {reason}" for utt, reason in entries]
    if lines:
        write_lines(file, lines)
