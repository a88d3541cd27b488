"""FAU Aibo Emotion Corpus, INTERSPEECH 2009 Emotion Challenge release:
German children talking to a robot dog, chunk-level labels.

Layout (one extra ``IS2009EmotionChallenge/`` wrapper level is common)::

    wav/Ohm_01_015_00.wav
    labels/IS2009EmotionChallenge/chunk_labels_5cl_corpus.txt
    labels/IS2009EmotionChallenge/chunk_labels_2cl_corpus.txt

Label lines: ``<chunk id> <label> <confidence>``, space separated. 5-class:
A anger, E emphatic, N neutral, P positive, R rest; 2-class: NEG / IDL.
The two files are derived separately (NEG is not A + E), so both are kept:
``utt2emo`` / ``utt2emo_native`` follow ``classes`` and the other file goes
to ``utt2emo_5cl`` or ``utt2emo_2cl``. Challenge split: Ohm school = train,
Mont school = test (speaker-disjoint by construction). Speaker =
school_child (``Ohm_01``).
"""
import re

from serda.corpora import CorpusRecords, LayoutError, UttRecord
from serda.corpora._layout import audio_files, map_code, parse_options, require_root
from serda.errors import InputError, SerdaError

DESCRIPTION = "FAU Aibo (de, children, natural): Ohm train / Mont test, 5-class and NEG/IDL"
OPTIONS = {"classes": (5, "which label file gives utt2emo: 5 (A E N P R) or 2 (NEG IDL)")}
EXPECTED = ("IS2009EmotionChallenge with wav/<Ohm|Mont>_NN_NNN_NN.wav and "
            "labels/IS2009EmotionChallenge/chunk_labels_{5cl,2cl}_corpus.txt")
ID_RE = re.compile(r"^(?P<school>Ohm|Mont)_(?P<spk>\d{2})_(?P<turn>\d{3})_(?P<chunk>\d{2})$")
CODES = {5: {"A": "ang", "E": "emp", "N": "neu", "P": "pos", "R": "oth"},
         2: {"NEG": "neg", "IDL": "pos"}}
SPLITS = {"Ohm": "train", "Mont": "test"}
# IS 2009 challenge paper
OFFICIAL = {"train": 9959, "test": 8257}


def _find(root, name):
    hits = sorted(p for p in root.glob(f"**/{name}") if not p.name.startswith("._"))
    if not hits:
        raise LayoutError(f"{root}: no {name} (searched recursively); expected {EXPECTED}")
    return hits[0]


def read_labels(path, classes):
    """{chunk id: (label, confidence, line number)}; InputError on bad lines."""
    labels = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 3 or not ID_RE.match(fields[0]):
                raise InputError(path, "expected '<Ohm|Mont>_NN_NNN_NN <label> <confidence>'",
                                 lineno, line)
            if fields[1] not in CODES[classes]:
                raise InputError(path, f"label '{fields[1]}' is not one of "
                                       f"{', '.join(CODES[classes])}", lineno, line)
            try:
                confidence = float(fields[2])
            except ValueError:
                raise InputError(path, f"confidence '{fields[2]}' is not a number",
                                 lineno, line) from None
            if fields[0] in labels:
                raise InputError(path, f"chunk '{fields[0]}' labelled twice (first on line "
                                       f"{labels[fields[0]][2]})", lineno, line)
            labels[fields[0]] = (fields[1], confidence, lineno)
    return labels


def load(root, **options):
    opts = parse_options(OPTIONS, options, "aibo")
    if opts["classes"] not in (2, 5):
        raise SerdaError("aibo option classes must be 2 or 5")
    root = require_root(root)
    files = {c: _find(root, f"chunk_labels_{c}cl_corpus.txt") for c in (5, 2)}
    wav_dir = next((p for p in sorted(root.glob("**/wav")) if p.is_dir()), None)
    if wav_dir is None:
        raise LayoutError(f"{root}: no wav/ folder; expected {EXPECTED}")
    labels = {c: read_labels(files[c], c) for c in (5, 2)}
    main, other = opts["classes"], 7 - opts["classes"]
    skipped, records = [], []
    for chunk in sorted(labels[main]):
        code, _, lineno = labels[main][chunk]
        m = ID_RE.match(chunk)
        speaker = f"{m['school']}_{m['spk']}"
        extra = {}
        if chunk in labels[other]:
            extra[f"emo_{other}cl"] = labels[other][chunk][0]
        records.append(UttRecord(
            utt=f"aibo-{speaker}-{chunk}", speaker=f"aibo-{speaker}",
            split=SPLITS[m["school"]], wav=str(wav_dir / f"{chunk}.wav"), lang="de",
            emo=map_code(code, CODES[main], f"{files[main]}:{lineno}", "FAU Aibo"),
            emo_native=code, extra=extra, source=f"{files[main]}:{lineno}"))
    notes = []
    unmatched = set(labels[main]) - set(labels[other])
    if unmatched:
        notes.append(f"aibo: {len(unmatched)} chunk(s) of {files[main].name} are not in "
                     f"{files[other].name} (e.g. {min(unmatched)})")
    for chunk in sorted(set(labels[other]) - set(labels[main])):
        skipped.append((chunk, f"labelled in {files[other].name} but not in {files[main].name}"))
    listed = {f"{c}.wav" for c in set(labels[main]) | set(labels[other])}
    for wav in audio_files(wav_dir, "*.wav", skipped):
        if wav.name not in listed:
            skipped.append((str(wav), f"audio without a line in {files[main].name}"))
    attributes = {
        "corpus": "aibo", "language": "de",
        "protocol": "IS 2009 Emotion Challenge: Ohm school = train, Mont school = test",
        "classes": main,
        "categories": {native: norm for native, norm in CODES[main].items()},
        "label_files": {f"{c}cl": files[c].name for c in (5, 2)},
    }
    return CorpusRecords("aibo", records, attributes, skipped, OFFICIAL, opts, notes)
