"""MSP-Podcast (v1.x): podcast segments, consensus class and A/V/D on 1-7.

Layout::

    Labels/labels_consensus.csv   (labels_concensus.csv in older releases;
                                   the .json variants are read when no CSV)
    Audios/MSP-PODCAST_0001_0008.wav   (or Audio/, or Audios/Audios/)

CSV columns: FileName,EmoClass,EmoAct,EmoVal,EmoDom,SpkrID,Gender,Split_Set.
Splits follow Split_Set: Train -> train, Development / Validation -> dev,
Test1/2/3 -> test1/2/3. Audio without a label row forms the unlabelled
pool ``unlab`` (target draws for domain adaptation) unless
``unlabelled=false``. ``SpkrID`` ``Unknown`` becomes a per-segment
pseudo-speaker ``unk<podcast>_<segment>``; rows whose dimensional labels
are empty (withheld test labels) keep their category but write no
dimension tables for that split.
"""
import csv
import json
import re

from serda.corpora import CorpusRecords, LayoutError, UttRecord
from serda.corpora._layout import audio_files, map_code, parse_options, require_root
from serda.errors import InputError
from serda.textfile import read_utf8

DESCRIPTION = "MSP-Podcast v1.x (en, natural): official Split_Set, class + A/V/D on 1-7"
OPTIONS = {"unlabelled": (True, "write unlabelled audio as the split 'unlab'")}
EXPECTED = ("MSP-Podcast with Labels/labels_consensus.csv (or labels_concensus.csv / .json) "
            "and Audios/MSP-PODCAST_*.wav")
LABEL_FILES = ("labels_consensus.csv", "labels_concensus.csv",
               "labels_consensus.json", "labels_concensus.json")
AUDIO_DIRS = ("Audios/Audios", "Audios", "Audio")
COLUMNS = ("FileName", "EmoClass", "EmoAct", "EmoVal", "EmoDom", "SpkrID", "Gender", "Split_Set")
FILE_RE = re.compile(r"^MSP-PODCAST_(?P<podcast>\d{4})_(?P<seg>\d{4})(?:_(?P<sub>\d{4}))?\.wav$")
CODES = {"A": "ang", "S": "sad", "H": "hap", "U": "sur", "F": "fea", "D": "dis", "C": "con",
         "N": "neu", "O": "oth", "X": "xxx"}
SPLITS = {"Train": "train", "Development": "dev", "Validation": "dev",
          "Test1": "test1", "Test2": "test2", "Test3": "test3"}
GENDERS = {"Male": "m", "Female": "f"}
DIMS = (("arousal", "EmoAct"), ("valence", "EmoVal"), ("dominance", "EmoDom"))


def _label_file(root):
    for name in LABEL_FILES:
        if (root / "Labels" / name).is_file():
            return root / "Labels" / name
    raise LayoutError(f"{root}: no Labels/{' or Labels/'.join(LABEL_FILES)}; expected {EXPECTED}")


def read_rows(path):
    """(line number, row dict) from the CSV, or (index, row) from the JSON."""
    if path.suffix == ".json":
        try:
            table = json.loads(read_utf8(path))
        except json.JSONDecodeError as err:
            raise InputError(path, f"not valid JSON: {err}") from None
        return [(i, dict(v, FileName=k)) for i, (k, v) in enumerate(sorted(table.items()), 1)]
    lines = read_utf8(path).splitlines()
    rows = list(csv.reader(lines))
    header = rows[0] if rows else []
    if set(COLUMNS) - set(header):
        raise InputError(path, f"header lacks {sorted(set(COLUMNS) - set(header))}; "
                               f"expected {','.join(COLUMNS)}", 1, lines[0] if lines else "")
    out = []
    for lineno, row in enumerate(rows[1:], 2):
        if not row:
            continue
        if len(row) != len(header):
            raise InputError(path, f"{len(row)} fields, header has {len(header)}",
                             lineno, lines[lineno - 1])
        out.append((lineno, dict(zip(header, row))))
    return out


def _dims(row, path, lineno):
    dims = {}
    for dim, column in DIMS:
        value = str(row.get(column, "")).strip()
        if value in ("", "NaN", "nan", "None"):
            continue
        try:
            dims[dim] = float(value)
        except ValueError:
            raise InputError(path, f"{column} '{value}' is not a number", lineno) from None
    return dims


def _record(row, path, lineno, audio_dir):
    name = str(row["FileName"]).strip()
    m = FILE_RE.match(name)
    if not m:
        raise InputError(path, f"FileName '{name}' does not match {FILE_RE.pattern}", lineno)
    split = str(row["Split_Set"]).strip()
    if split not in SPLITS:
        raise InputError(path, f"Split_Set '{split}' is not one of {', '.join(SPLITS)}", lineno)
    stem = name[:-4]
    spk = str(row["SpkrID"]).strip()
    speaker = f"unk{stem[12:]}" if spk in ("Unknown", "") else f"{int(spk):04d}" \
        if spk.isdigit() else None
    if speaker is None:
        raise InputError(path, f"SpkrID '{spk}' is neither a number nor Unknown", lineno)
    code = str(row["EmoClass"]).strip()
    source = f"{path}:{lineno}"
    return UttRecord(
        utt=f"msp_podcast-{speaker}-{stem}", speaker=f"msp_podcast-{speaker}",
        split=SPLITS[split], wav=str(audio_dir / name),
        gender=GENDERS.get(str(row["Gender"]).strip()), lang="en",
        emo=map_code(code, CODES, source, "MSP-Podcast"), emo_native=code,
        dims=_dims(row, path, lineno), source=source)


def load(root, **options):
    opts = parse_options(OPTIONS, options, "msp_podcast")
    root = require_root(root)
    labels = _label_file(root)
    audio_dir = next((root / d for d in AUDIO_DIRS
                      if (root / d).is_dir() and any((root / d).glob("MSP-PODCAST_*.wav"))), None)
    if audio_dir is None:
        raise LayoutError(f"{root}: no MSP-PODCAST_*.wav in {', '.join(AUDIO_DIRS)}; "
                          f"expected {EXPECTED}")
    skipped = []
    records = [_record(row, labels, lineno, audio_dir) for lineno, row in read_rows(labels)]
    labelled = {r.wav for r in records}
    for wav in audio_files(audio_dir, "*.wav", skipped):
        if str(wav) in labelled:
            continue
        if not FILE_RE.match(wav.name):
            skipped.append((str(wav), f"file name does not match {FILE_RE.pattern}"))
        elif opts["unlabelled"]:
            stem = wav.stem
            records.append(UttRecord(utt=f"msp_podcast-unk{stem[12:]}-{stem}",
                                     speaker=f"msp_podcast-unk{stem[12:]}", split="unlab",
                                     wav=str(wav), lang="en", source=str(wav)))
        else:
            skipped.append((str(wav), f"audio without a row in {labels.name} (unlabelled=false)"))
    attributes = {
        "corpus": "msp_podcast", "language": "en",
        "protocol": "official Split_Set: Train / Development (= Validation before v1.10) / "
                    "Test1-3; unlab = audio without labels",
        "label_file": labels.name,
        "attributes": {d: {"scale": [1, 7], "orientation": "1 = very negative / calm / weak",
                           "source": f"{c} of {labels.name}"} for d, c in DIMS},
    }
    return CorpusRecords("msp_podcast", records, attributes, skipped, {}, opts)
