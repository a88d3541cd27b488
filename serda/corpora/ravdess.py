"""RAVDESS: 24 North American actors, 8 categories coded in the file name.

Layout (Audio_Speech_Actors_01-24.zip; ``Audio/`` or a wrapper folder
accepted)::

    Actor_01/03-01-05-02-01-01-01.wav
    modality-channel-emotion-intensity-statement-repetition-actor

Modality 03 is audio-only; channel 01 speech, 02 song (the song set has no
Actor_18; read only with ``song=true``); emotion 01 neutral 02 calm
03 happy 04 sad 05 angry 06 fearful 07 disgust 08 surprised; intensity
01 normal, 02 strong; odd actors are male. 48 kHz audio (resampled by
the feature stage).
"""
import re

from serda.corpora import CorpusRecords, UttRecord
from serda.corpora._layout import (assign_folds, category_attributes, find_dirs, parse_options,
                                   records_from_names, require_records, require_root)

DESCRIPTION = "RAVDESS (en-US, acted): 24 actors, 8 categories, speaker folds"
OPTIONS = {"folds": (4, "number of gender-balanced actor folds"),
           "song": (False, "also read the sung recordings (channel 02)")}
EXPECTED = "RAVDESS [Audio/]Actor_NN/MM-CC-EE-II-SS-RR-NN.wav"
FILE_RE = (r"^(?P<mod>0[1-3])-(?P<chan>0[12])-(?P<emo>0[1-8])-(?P<int>0[12])-(?P<stmt>0[12])"
           r"-(?P<rep>0[12])-(?P<actor>\d{2})\.wav$")
CODES = {"01": "neu", "02": "cal", "03": "hap", "04": "sad", "05": "ang", "06": "fea",
         "07": "dis", "08": "sur"}
ACTOR_RE = re.compile(r"^Actor_\d{2}$")
INTENSITY = {"01": "normal", "02": "strong"}


def load(root, **options):
    opts = parse_options(OPTIONS, options, "ravdess")
    root = require_root(root)

    def make(path, m):
        if m["mod"] != "03":
            return f"modality {m['mod']} is not audio-only (03)"
        if m["chan"] == "02" and not opts["song"]:
            return "song recording (song=false)"
        actor = m["actor"]
        return UttRecord(
            utt=f"ravdess-{actor}-{path.stem}", speaker=f"ravdess-{actor}", split=None,
            wav=str(path), gender="m" if int(actor) % 2 else "f", lang="en",
            emo=CODES[m["emo"]], emo_native=m["emo"],
            extra={"intensity": INTENSITY[m["int"]],
                   "vocal_channel": "speech" if m["chan"] == "01" else "song"},
            source=str(path))
    records, skipped = records_from_names(
        find_dirs(root, ACTOR_RE.match, EXPECTED, also=("Audio",)), FILE_RE, "RAVDESS", make)
    folds = assign_folds(require_records(records, root, EXPECTED), opts["folds"])
    attributes = category_attributes("ravdess", "en", CODES, folds,
                                     f"{opts['folds']} gender-balanced actor folds")
    return CorpusRecords("ravdess", records, attributes, skipped,
                         {} if opts["song"] else {"all": 1440}, opts)
