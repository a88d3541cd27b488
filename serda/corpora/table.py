"""Any corpus: a manifest table, or a folder whose file names carry the labels.

Manifest (``--root manifest.csv`` or ``.tsv``; TAB-separated when the name
ends in .tsv, else comma-separated, or semicolon-separated when the header
reads so), a header naming the columns::

    path,speaker,emotion,arousal,gender
    wav/s01_a.wav,s01,angry,4.2,f

``path`` and ``speaker`` are required; ``emotion``, ``arousal``,
``valence``, ``dominance``, ``gender`` (m/f) and ``language`` (ISO 639-1)
are read when present; any other column becomes ``utt2<column>``. Relative
paths resolve against the manifest's folder.

File-name pattern (``--root <folder>``, ``--opt pattern=<regex>``): every
audio file below the folder (any extension libsndfile reads, in any case:
``.wav .WAV .flac .ogg .mp3 ...``) whose name matches the regular
expression, with named groups ``speaker`` (required), ``emotion``,
``gender``, ``language``; a file that does not match, or is not audio, is
listed as skipped with the reason.

Labels: ``codes`` maps the corpus' emotion codes to serda's normalised
categories (``codes=W:ang,F:hap,T:sad,N:neu``); without it the codes must
already be normalised categories (serda/data/codes.py). ``scale`` is the
range of the dimensional columns (``scale=1:5``). ``language`` is the
language of every row without a language column. Splits: ``folds``
gender-balanced speaker folds (at most the number of speakers), as the
built-in corpora, at least 2. A row naming a missing or unreadable file is
skipped with its reason; a malformed label (an unknown code, a value that is
not a number or outside the scale, a gender other than m/f/male/female)
stops with file:line, and so does a header naming a column twice. A label
column (emotion, arousal, valence, dominance) empty in some rows leaves
those rows out, each listed with its file:line; one empty in every row is
ignored with a note.

Ids: ``<corpus>-<speaker>-<file name without extension>``, each part kept
one-to-one (serda.data.ids: letters of any script stay, other characters
become %XX), so speakers "Zoë" and "Zoe" stay two speakers; the given
speaker name is kept in ``utt2speaker_name``.
"""
import csv
import io
import math
import re
from pathlib import Path

from serda.corpora import CorpusRecords, LayoutError, UttRecord
from serda.corpora._layout import (assign_folds, audio_files, match_names, parse_options)
from serda.data.codes import EMOTIONS, ISO639_1
from serda.data.ids import id_part
from serda.errors import InputError, SerdaError

DESCRIPTION = "any corpus: a CSV/TSV manifest or file names matched by a pattern (your own data)"
OPTIONS = {
    "corpus": ("", "corpus name in ids and attributes.yaml (default: the data name or the "
                   "manifest / folder name)"),
    "language": ("", "ISO 639-1 language of rows without a language column"),
    "pattern": ("", "regular expression on file names, with named groups speaker, emotion, ..."),
    "codes": ("", "emotion code map, e.g. W:ang,F:hap (default: codes are serda categories)"),
    "scale": ("1:5", "range of the arousal / valence / dominance columns, lo:hi"),
    "folds": (5, "gender-balanced speaker folds, >= 2 (at most the number of speakers)"),
}
TAKES_NAME = True        # prepare_data --name gives the corpus option its default
DIMENSIONS = ("arousal", "valence", "dominance")
KNOWN = {"path", "speaker", "emotion", "gender", "language", *DIMENSIONS}
LABEL_COLUMNS = ("emotion", *DIMENSIONS)
GENDER_WORDS = {"m": "m", "male": "m", "man": "m", "f": "f", "female": "f", "woman": "f"}
EXPECTED = ("a CSV/TSV manifest with a header (path, speaker, [emotion, arousal, valence, "
            "dominance, gender, language]) or a folder of wav files with --opt pattern=...")


def parse_codes(text):
    """"W:ang,F:hap" -> {"W": "ang", "F": "hap"}, each target a serda category."""
    out = {}
    for item in filter(None, (i.strip() for i in text.split(","))):
        native, sep, norm = item.partition(":")
        if not sep or norm not in EMOTIONS:
            raise SerdaError(f"table option codes: '{item}' is not <code>:<category> with a "
                             f"category of {', '.join(sorted(EMOTIONS))}")
        out[native] = norm
    return out


def parse_scale(text):
    lo, sep, hi = str(text).partition(":")
    try:
        scale = (float(lo), float(hi))
    except ValueError:
        raise SerdaError(f"table option scale: '{text}' is not lo:hi") from None
    if not sep or scale[0] >= scale[1]:
        raise SerdaError(f"table option scale: '{text}' is not lo:hi with lo < hi")
    return scale


class RowReader:
    """Turns one row's label cells into UttRecord fields, raising InputError
    at ``source`` (file:line) on a malformed value."""

    def __init__(self, opts):
        self.codes = parse_codes(opts["codes"])
        self.scale = parse_scale(opts["scale"])
        self.language = opts["language"]

    def fields(self, cells, where, line, text):
        def fail(msg):
            raise InputError(where, msg, line, text)
        out = {"dims": {}, "extra": {}}
        emo = (cells.get("emotion") or "").strip()
        if emo:
            norm = self.codes.get(emo) if self.codes else (emo if emo in EMOTIONS else None)
            if norm is None:
                known = ", ".join(sorted(self.codes or EMOTIONS))
                fail(f"unknown emotion code '{emo}' (known: {known}; map codes with "
                     f"--opt codes=<code>:<category>,...)")
            out["emo"], out["emo_native"] = norm, emo
        for dim in DIMENSIONS:
            raw = (cells.get(dim) or "").strip()
            if not raw:
                continue
            try:
                value = float(raw)
            except ValueError:
                fail(f"{dim} '{raw}' is not a number")
            if not math.isfinite(value):
                fail(f"{dim} '{raw}' is not a finite number (leave the cell empty to leave "
                     "the row out)")
            if not self.scale[0] <= value <= self.scale[1]:
                fail(f"{dim} {value} is outside the scale {self.scale[0]:g}:{self.scale[1]:g} "
                     "(--opt scale=lo:hi)")
            out["dims"][dim] = value
        gender = (cells.get("gender") or "").strip()
        if gender and gender.lower() not in GENDER_WORDS:
            fail(f"gender '{gender}' is not m, f, male or female (leave the cell empty when "
                 "it is not known)")
        out["gender"] = GENDER_WORDS[gender.lower()] if gender else None
        lang = (cells.get("language") or self.language or "").strip().lower()
        if lang and lang not in ISO639_1:
            fail(f"language '{lang}' is not an ISO 639-1 code")
        out["lang"] = lang or None
        for key, value in cells.items():
            if key not in KNOWN and value not in (None, ""):
                out["extra"][key] = value.strip()
        return out


def record(name, spk, path, source, fields):
    """The UttRecord of one audio file of speaker ``spk`` (the name as given)."""
    fields["extra"].setdefault("speaker_name", spk)
    return UttRecord(utt=f"{name}-{id_part(spk)}-{id_part(Path(path).stem)}",
                     speaker=f"{name}-{id_part(spk)}", split=None, wav=str(path),
                     source=source, **fields)


def empty_label_columns(path, header, rows, notes):
    """Label columns empty in every row (ignored, with a note)."""
    empty = set()
    for col in LABEL_COLUMNS:
        if col in header and rows and not any(cells.get(col, "").strip() for _, _, cells in rows):
            empty.add(col)
            notes.append(f"{path}: column '{col}' is empty in every row: ignored")
    return empty


def read_manifest_rows(path, delimiter, notes=None):
    """(header, [(line, text, cells)]) of a manifest; InputError at a bad header or row.
    A .csv whose header holds path and speaker only when split at ';' (what
    spreadsheet programs write in locales with a decimal comma) is read so,
    with a note, and its dimensional cells may then use a decimal comma."""
    from serda.textfile import read_utf8
    text = read_utf8(path)
    first = [h.strip().lower() for h in text.partition("\n")[0].split(";")]
    if delimiter == "," and {"path", "speaker"} <= set(first) and \
            not {"path", "speaker"} <= {h.strip().lower() for h in text.partition("\n")[0].split(",")}:
        delimiter = ";"
        if notes is not None:
            notes.append(f"{path}: columns separated by ';' (read so)")
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(rows, [])]
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise InputError(path, f"the header names column(s) {twice} more than once", 1)
    out = []
    for line, row in enumerate(rows, 2):
        if not any(c.strip() for c in row):
            continue
        text = delimiter.join(row)
        if len(row) != len(header):
            raise InputError(path, f"{len(row)} cells, the header has {len(header)}", line, text)
        cells = dict(zip(header, row))
        if delimiter == ";":
            for dim in DIMENSIONS:
                if re.fullmatch(r"\s*[+-]?\d+,\d+\s*", cells.get(dim) or ""):
                    cells[dim] = cells[dim].replace(",", ".")
        out.append((line, text, cells))
    return header, out


def from_manifest(path, name, reader, notes):
    records, skipped = [], []
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    header, rows = read_manifest_rows(path, delimiter, notes)
    missing = {"path", "speaker"} - set(header)
    if missing:
        raise InputError(path, f"the header lacks {', '.join(sorted(missing))} (it has: "
                               f"{', '.join(header) or 'nothing'})", 1)
    bad = [h for h in header if h not in KNOWN and not re.fullmatch(r"[a-z0-9_]+", h)]
    if bad:
        raise InputError(path, f"column name(s) {bad} cannot name a utt2<column> table "
                               "(letters, digits, _)", 1)
    ignored = empty_label_columns(path, header, rows, notes)
    for line, text, cells in rows:
        for col in ignored:
            del cells[col]
        wav = Path(cells["path"].strip())
        wav = wav if wav.is_absolute() else path.parent / wav
        spk = cells["speaker"].strip()
        if not spk:
            raise InputError(path, "empty speaker", line, text)
        blank = [c for c in LABEL_COLUMNS if c in cells and not cells[c].strip()]
        if blank:
            skipped.append((f"{path}:{line}", f"empty {' and '.join(blank)} cell: row "
                            f"left out ({wav.name})"))
            continue
        fields = reader.fields(cells, path, line, text)
        records.append(record(name, spk, wav, f"{path}:{line}", fields))
    return records, skipped


def from_pattern(root, name, pattern, reader):
    try:
        regex = re.compile(pattern)
    except re.error as err:
        raise SerdaError(f"table option pattern: {err}") from None
    if "speaker" not in regex.groupindex:
        raise SerdaError("table option pattern: needs a named group (?P<speaker>...)")
    skipped = []
    files = audio_files(root, "**/*.wav", skipped, list_others=True)
    records = []
    for path, m in match_names(files, regex, skipped, name):
        cells = {k: v for k, v in m.groupdict().items() if v is not None}
        fields = reader.fields(cells, path, None, path.name)
        records.append(record(name, cells["speaker"], path, str(path), fields))
    return records, skipped


def load(root, **options):
    opts = parse_options(OPTIONS, options, "table")
    root = Path(root)
    reader = RowReader(opts)
    if opts["folds"] < 2:
        raise SerdaError(f"table option folds: {opts['folds']} (a corpus is split into at "
                         "least 2 speaker folds)")
    notes = []
    if root.is_file():
        name = id_part(opts["corpus"] or root.stem)
        records, skipped = from_manifest(root.resolve(), name, reader, notes)
    elif root.is_dir():
        if not opts["pattern"]:
            raise LayoutError(f"{root}: a folder needs --opt pattern=<regex with (?P<speaker>...)>"
                              f"; or give a manifest file. Expected {EXPECTED}")
        name = id_part(opts["corpus"] or root.resolve().name)
        records, skipped = from_pattern(root.resolve(), name, opts["pattern"], reader)
    else:
        raise LayoutError(f"{root}: no such file or folder; expected {EXPECTED}")
    if not records:
        raise LayoutError(f"{root}: no utterance found; expected {EXPECTED}")
    langs = sorted({r.lang for r in records if r.lang})
    n_spk = len({r.speaker for r in records})
    if 2 <= n_spk < opts["folds"]:
        notes.append(f"{name}: {n_spk} speakers, so {n_spk} folds instead of {opts['folds']}")
    elif n_spk < 2:
        notes.append(f"{name}: one speaker, so one split (fold1): no speaker-independent folds")
    folds = assign_folds(records, min(opts["folds"], n_spk)) if n_spk >= 2 else \
        _one_split(records)
    attributes = {"corpus": name, "language": langs[0] if len(langs) == 1 else "+".join(langs),
                  "protocol": f"{len(folds)} gender-balanced speaker folds (serda table importer)",
                  "folds": folds,
                  "attributes": {d: {"scale": list(parse_scale(opts["scale"]))}
                                 for d in DIMENSIONS if any(d in r.dims for r in records)}}
    if any(r.emo_native for r in records):
        attributes["categories"] = parse_codes(opts["codes"]) or \
            {r.emo_native: r.emo for r in records if r.emo_native}
    return CorpusRecords(name, records, attributes, skipped, {}, opts, notes)


def _one_split(records):
    for r in records:
        r.split = "fold1"
    return {"fold1": sorted({r.speaker for r in records})}
