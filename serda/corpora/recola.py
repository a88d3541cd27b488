"""RECOLA, AVEC 2016 release: 5-minute French dyadic recordings with
continuous arousal / valence ratings every 40 ms.

Layout::

    recordings_audio/train_1.wav ... dev_9.wav (test_*: labels withheld)
    ratings_individual/{arousal,valence}/train_1.csv   ';'-separated:
                                                       time;<6 raters>
    ratings_gold_standard/{arousal,valence}/train_1.arff  (fallback)

There are no utterances in RECOLA, so serda derives them (a convention,
recorded in attributes.yaml): each recording is cut into windows of
``window`` seconds every ``hop`` seconds (``segments`` into the
recording); a window's label is the mean over its 40 ms frames, shifted
by ``delay`` seconds to compensate the raters' reaction time, of the gold
standard = the mean over raters of ``ratings_individual`` (the AVEC gold
standard ARFF is used only when individual ratings are absent). Windows
whose delayed span runs past the ratings are not made. Speaker = recording
(AVEC partitions are speaker-disjoint); splits train / dev.
"""
import math

import numpy as np
import soundfile as sf

from serda.corpora import CorpusRecords, LayoutError, UttRecord
from serda.corpora._layout import audio_files, parse_options, require_root
from serda.errors import InputError, SerdaError
from serda.textfile import read_utf8

DESCRIPTION = "RECOLA AVEC 2016 (fr, natural dyads): train/dev, windows labelled from 40 ms ratings"
OPTIONS = {"window": (4.0, "window length in seconds"),
           "hop": (4.0, "window shift in seconds"),
           "delay": (2.0, "annotation delay compensated, seconds")}
EXPECTED = ("RECOLA_2016 with recordings_audio/<train|dev>_N.wav and "
            "ratings_individual/<arousal|valence>/<rec>.csv (or ratings_gold_standard/.../*.arff)")
FRAME = 0.04
DIMS = ("arousal", "valence")
SPLITS = ("train", "dev")


def read_individual(path):
    """(times (T,), gold (T,)) from a ';'-separated ratings file: the gold
    standard is the mean over the rater columns."""
    lines = read_utf8(path).splitlines()
    if not lines:
        raise InputError(path, "empty ratings file")
    n_cols = len(lines[0].split(";"))
    if n_cols < 2:
        raise InputError(path, "header has no rater column (expected 'time;rater1;...')", 1,
                         lines[0])
    rows = []
    for lineno, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        fields = line.split(";")
        try:
            values = [float(v) for v in fields]
        except ValueError:
            raise InputError(path, "non-numeric field", lineno, line) from None
        if len(values) != n_cols or not all(math.isfinite(v) for v in values):
            raise InputError(path, f"expected {n_cols} finite numbers", lineno, line)
        rows.append(values)
    table = np.array(rows)
    return table[:, 0], table[:, 1:].mean(axis=1)


def read_gold_arff(path):
    """(times, gold) from an AVEC gold-standard ARFF (parsed after @data)."""
    times, gold, in_data = [], [], False
    for lineno, line in enumerate(read_utf8(path).splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("%"):
            continue
        if not in_data:
            in_data = text.lower() == "@data"
            continue
        fields = text.split(",")
        try:
            times.append(float(fields[1]))
            gold.append(float(fields[2]))
        except (IndexError, ValueError):
            raise InputError(path, "expected 'name,frameTime,GoldStandard'",
                             lineno, line) from None
    if not in_data:
        raise InputError(path, "no @data section")
    return np.array(times), np.array(gold)


def _ratings(root, dim, rec):
    individual = root / "ratings_individual" / dim / f"{rec}.csv"
    if individual.is_file():
        return read_individual(individual), individual
    gold = root / "ratings_gold_standard" / dim / f"{rec}.arff"
    if gold.is_file():
        return read_gold_arff(gold), gold
    return None, None


def windows(duration, n_frames, window, hop, delay):
    """(start, end) of each window inside the audio whose delayed label
    span [start + delay, end + delay) lies inside the ratings."""
    rated = n_frames * FRAME
    out, start = [], 0.0
    while start + window <= duration + 1e-9 and start + window + delay <= rated + 1e-9:
        out.append((round(start, 3), round(start + window, 3)))
        start += hop
    return out


def window_label(times, gold, start, end, delay):
    """Mean gold standard over frames with start+delay <= t < end+delay."""
    sel = (times >= start + delay - 1e-9) & (times < end + delay - 1e-9)
    return float(gold[sel].mean())


def load(root, **options):
    opts = parse_options(OPTIONS, options, "recola")
    if opts["window"] <= 0 or opts["hop"] <= 0 or opts["delay"] < 0:
        raise SerdaError("recola options: window and hop must be > 0, delay >= 0")
    root = require_root(root)
    audio_dir = root / "recordings_audio"
    if not audio_dir.is_dir() or not ((root / "ratings_individual").is_dir()
                                      or (root / "ratings_gold_standard").is_dir()):
        raise LayoutError(f"{root}: no recordings_audio/ with ratings_individual/ or "
                          f"ratings_gold_standard/; expected {EXPECTED}")
    skipped, records = [], []
    for wav in audio_files(audio_dir, "*.wav", skipped):
        rec = wav.stem
        split = rec.split("_")[0]
        if split not in SPLITS:
            skipped.append((str(wav), f"partition '{split}' has no labels in the AVEC release"))
            continue
        ratings = {dim: _ratings(root, dim, rec) for dim in DIMS}
        missing = [dim for dim in DIMS if ratings[dim][0] is None]
        if missing:
            skipped.append((str(wav), f"no {'/'.join(missing)} ratings for {rec}"))
            continue
        try:
            duration = sf.info(str(wav)).duration
        except Exception as err:
            skipped.append((str(wav), f"unreadable audio: {str(err).splitlines()[0]}"))
            continue
        n_frames = min(len(ratings[d][0][0]) for d in DIMS)
        spans = windows(duration, n_frames, opts["window"], opts["hop"], opts["delay"])
        for k, (start, end) in enumerate(spans):
            dims = {d: window_label(*ratings[d][0], start, end, opts["delay"]) for d in DIMS}
            records.append(UttRecord(
                utt=f"recola-{rec}-{k:04d}", speaker=f"recola-{rec}", split=split,
                wav=str(wav), lang="fr", dims=dims, segment=(rec, start, end),
                source=f"{wav} {start:.2f}-{end:.2f}s"))
    attributes = {
        "corpus": "recola", "language": "fr",
        "protocol": "AVEC 2016 train / dev (test labels withheld); speaker = recording",
        "segmentation": {"window_s": opts["window"], "hop_s": opts["hop"],
                         "delay_s": opts["delay"], "frame_s": FRAME,
                         "label": "mean over the window's delayed 40 ms frames of the "
                                  "mean over raters"},
        "attributes": {d: {"scale": [-1, 1], "orientation": "-1 = calm / negative"}
                       for d in DIMS},
    }
    return CorpusRecords("recola", records, attributes, skipped, {}, opts)
