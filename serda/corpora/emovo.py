"""EMOVO: 6 Italian actors, 7 categories x 14 sentences.

Layout::

    EMOVO/f1/dis-f1-b1.wav     emotion-speaker-sentence

Codes: dis disgust, gio joy, neu neutral, pau fear, rab anger, sor
surprise, tri sadness. Speaker codes are lower case in the names (f1..f3,
m1..m3); folder names are matched case-insensitively. 48 kHz audio
(resampled by the feature stage). Default folds pair one female and one
male actor.
"""
from serda.corpora import CorpusRecords, UttRecord
from serda.corpora._layout import (assign_folds, category_attributes, find_dirs, parse_options,
                                   records_from_names, require_records, require_root)

DESCRIPTION = "EMOVO (it, acted): 6 actors, 7 categories, gender-balanced speaker folds"
OPTIONS = {"folds": (3, "number of gender-balanced speaker folds (6 = leave-one-speaker-out)")}
EXPECTED = "EMOVO folders f1 f2 f3 m1 m2 m3 holding <emotion>-<speaker>-<sentence>.wav"
FILE_RE = (r"^(?P<emo>dis|gio|neu|pau|rab|sor|tri)-(?P<spk>[fm][1-3])"
           r"-(?P<sent>b[1-3]|l[1-4]|n[1-5]|d[12])\.wav$")
CODES = {"dis": "dis", "gio": "hap", "neu": "neu", "pau": "fea", "rab": "ang", "sor": "sur",
         "tri": "sad"}
SPEAKERS = ("f1", "f2", "f3", "m1", "m2", "m3")


def load(root, **options):
    opts = parse_options(OPTIONS, options, "emovo")
    root = require_root(root)

    def make(path, m):
        spk = m["spk"]
        return UttRecord(
            utt=f"emovo-{spk}-{path.stem}", speaker=f"emovo-{spk}", split=None, wav=str(path),
            gender=spk[0], lang="it", emo=CODES[m["emo"]], emo_native=m["emo"],
            extra={"sentence": m["sent"]}, source=str(path))
    records, skipped = records_from_names(
        find_dirs(root, lambda n: n.lower() in SPEAKERS, EXPECTED, also=("EMOVO",)), FILE_RE, "EMOVO", make)
    folds = assign_folds(require_records(records, root, EXPECTED), opts["folds"])
    attributes = category_attributes("emovo", "it", CODES, folds,
                                     f"{opts['folds']} gender-balanced speaker folds")
    return CorpusRecords("emovo", records, attributes, skipped, {"all": 588}, opts)
