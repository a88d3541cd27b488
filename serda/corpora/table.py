"""Any corpus: a manifest table, or a folder whose file names carry the labels.

Manifest (``--root manifest.csv`` or ``.tsv``; TAB-separated when the name
ends in .tsv, else comma-separated), a header naming the columns::

    path,speaker,emotion,arousal,gender
    wav/s01_a.wav,s01,angry,4.2,f

``path`` and ``speaker`` are required; ``emotion``, ``arousal``,
``valence``, ``dominance``, ``gender`` (m/f) and ``language`` (ISO 639-1)
are read when present; any other column becomes ``utt2<column>``. Relative
paths resolve against the manifest's folder.

File-name pattern (``--root <folder>``, ``--opt pattern=<regex>``): every
``*.wav`` below the folder whose name matches the regular expression, with
named groups ``speaker`` (required), ``emotion``, ``gender``, ``language``;
a file that does not match is listed as skipped with the pattern.

Labels: ``codes`` maps the corpus' emotion codes to serda's normalised
categories (``codes=W:ang,F:hap,T:sad,N:neu``); without it the codes must
already be normalised categories (serda/data/codes.py). ``scale`` is the
range of the dimensional columns (``scale=1:5``). ``language`` is the
language of every row without a language column. Splits: ``folds``
gender-balanced speaker folds (at most the number of speakers), as the
built-in corpora. A row naming a missing or unreadable file is skipped with
its reason; a malformed label (an unknown code, a value that is not a number
or outside the scale, a gender other than m/f) stops with file:line.
"""
import csv
import re
from pathlib import Path

from serda.corpora import CorpusRecords, LayoutError, UttRecord
from serda.corpora._layout import (assign_folds, audio_files, match_names, parse_options)
from serda.data.codes import EMOTIONS, GENDERS, ISO639_1
from serda.errors import InputError, SerdaError

DESCRIPTION = "any corpus: a CSV/TSV manifest or file names matched by a pattern (your own data)"
OPTIONS = {
    "corpus": ("", "corpus name in ids and attributes.yaml (default: the data name or the "
                   "manifest / folder name)"),
    "language": ("", "ISO 639-1 language of rows without a language column"),
    "pattern": ("", "regular expression on file names, with named groups speaker, emotion, ..."),
    "codes": ("", "emotion code map, e.g. W:ang,F:hap (default: codes are serda categories)"),
    "scale": ("1:5", "range of the arousal / valence / dominance columns, lo:hi"),
    "folds": (5, "gender-balanced speaker folds (at most the number of speakers)"),
}
TAKES_NAME = True        # prepare_data --name gives the corpus option its default
DIMENSIONS = ("arousal", "valence", "dominance")
KNOWN = {"path", "speaker", "emotion", "gender", "language", *DIMENSIONS}
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
            if not self.scale[0] <= value <= self.scale[1]:
                fail(f"{dim} {value} is outside the scale {self.scale[0]:g}:{self.scale[1]:g} "
                     "(--opt scale=lo:hi)")
            out["dims"][dim] = value
        gender = (cells.get("gender") or "").strip().lower()[:1]
        if gender and gender not in GENDERS:
            fail(f"gender '{cells.get('gender')}' is not m or f")
        out["gender"] = gender or None
        lang = (cells.get("language") or self.language or "").strip().lower()
        if lang and lang not in ISO639_1:
            fail(f"language '{lang}' is not an ISO 639-1 code")
        out["lang"] = lang or None
        for key, value in cells.items():
            if key not in KNOWN and value not in (None, ""):
                out["extra"][key] = value.strip()
        return out


def _safe(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


def from_manifest(path, name, reader):
    records, skipped = [], []
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f, delimiter=delimiter)
        header = [h.strip().lower() for h in next(rows, [])]
        missing = {"path", "speaker"} - set(header)
        if missing:
            raise InputError(path, f"the header lacks {', '.join(sorted(missing))} (it has: "
                                   f"{', '.join(header) or 'nothing'})", 1)
        bad = [h for h in header if h not in KNOWN and not re.fullmatch(r"[a-z0-9_]+", h)]
        if bad:
            raise InputError(path, f"column name(s) {bad} cannot name a utt2<column> table "
                                   "(letters, digits, _)", 1)
        for line, row in enumerate(rows, 2):
            if not any(c.strip() for c in row):
                continue
            text = delimiter.join(row)
            if len(row) != len(header):
                raise InputError(path, f"{len(row)} cells, the header has {len(header)}",
                                 line, text)
            cells = dict(zip(header, row))
            wav = Path(cells["path"].strip())
            wav = wav if wav.is_absolute() else path.parent / wav
            spk = cells["speaker"].strip()
            if not spk:
                raise InputError(path, "empty speaker", line, text)
            fields = reader.fields(cells, path, line, text)
            records.append(UttRecord(utt=f"{name}-{_safe(spk)}-{_safe(wav.stem)}",
                                     speaker=f"{name}-{_safe(spk)}", split=None, wav=str(wav),
                                     source=f"{path}:{line}", **fields))
    return records, skipped


def from_pattern(root, name, pattern, reader):
    try:
        regex = re.compile(pattern)
    except re.error as err:
        raise SerdaError(f"table option pattern: {err}") from None
    if "speaker" not in regex.groupindex:
        raise SerdaError("table option pattern: needs a named group (?P<speaker>...)")
    skipped = []
    files = audio_files(root, "**/*.wav", skipped)
    records = []
    for path, m in match_names(files, regex, skipped, name):
        cells = {k: v for k, v in m.groupdict().items() if v is not None}
        fields = reader.fields(cells, path, None, path.name)
        spk = cells["speaker"]
        records.append(UttRecord(utt=f"{name}-{_safe(spk)}-{_safe(path.stem)}",
                                 speaker=f"{name}-{_safe(spk)}", split=None, wav=str(path),
                                 source=str(path), **fields))
    return records, skipped


def load(root, **options):
    opts = parse_options(OPTIONS, options, "table")
    root = Path(root)
    reader = RowReader(opts)
    if root.is_file():
        name = _safe(opts["corpus"] or root.stem)
        records, skipped = from_manifest(root.resolve(), name, reader)
    elif root.is_dir():
        if not opts["pattern"]:
            raise LayoutError(f"{root}: a folder needs --opt pattern=<regex with (?P<speaker>...)>"
                              f"; or give a manifest file. Expected {EXPECTED}")
        name = _safe(opts["corpus"] or root.resolve().name)
        records, skipped = from_pattern(root.resolve(), name, opts["pattern"], reader)
    else:
        raise LayoutError(f"{root}: no such file or folder; expected {EXPECTED}")
    if not records:
        raise LayoutError(f"{root}: no utterance found; expected {EXPECTED}")
    langs = sorted({r.lang for r in records if r.lang})
    n_spk = len({r.speaker for r in records})
    folds = assign_folds(records, max(2, min(opts["folds"], n_spk))) if n_spk >= 2 else \
        _one_split(records)
    attributes = {"corpus": name, "language": langs[0] if len(langs) == 1 else "+".join(langs),
                  "protocol": f"{len(folds)} gender-balanced speaker folds (serda table importer)",
                  "folds": folds,
                  "attributes": {d: {"scale": list(parse_scale(opts["scale"]))}
                                 for d in DIMENSIONS if any(d in r.dims for r in records)}}
    if any(r.emo_native for r in records):
        attributes["categories"] = parse_codes(opts["codes"]) or \
            {r.emo_native: r.emo for r in records if r.emo_native}
    return CorpusRecords(name, records, attributes, skipped, {}, opts)


def _one_split(records):
    for r in records:
        r.split = "fold1"
    return {"fold1": sorted({r.speaker for r in records})}
