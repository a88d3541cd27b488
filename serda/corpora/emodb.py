"""Berlin EmoDB: 10 actors, 7 categories coded in the file name.

Layout (official download.zip; ``wav_corpus/`` accepted too)::

    wav/03a01Fa.wav   speaker 03, text a01, emotion F (Freude), version a

Emotion letters are German initials: W Wut anger, L Langeweile boredom,
E Ekel disgust, A Angst fear, F Freude happiness, T Trauer sadness,
N neutral (F is *not* fear, A is *not* anger). No official split:
``folds`` gender-balanced speaker folds (10 = leave-one-speaker-out).
"""
from serda.corpora import CorpusRecords, UttRecord
from serda.corpora._layout import (assign_folds, category_attributes, first_dir, parse_options,
                                   records_from_names, require_records, require_root)

DESCRIPTION = "Berlin EmoDB (de, acted): 10 speakers, 7 categories, speaker folds"
OPTIONS = {"folds": (5, "number of gender-balanced speaker folds (10 = leave-one-speaker-out)")}
EXPECTED = "EmoDB (download.zip) with wav/ (or wav_corpus/) holding files like 03a01Fa.wav"
FILE_RE = (r"^(?P<spk>03|08|09|10|11|12|13|14|15|16)(?P<text>[ab]\d{2})"
           r"(?P<emo>[WLEAFTN])(?P<ver>[a-z])\.wav$")
GENDER = {"03": "m", "10": "m", "11": "m", "12": "m", "15": "m",
          "08": "f", "09": "f", "13": "f", "14": "f", "16": "f"}
CODES = {"W": "ang", "L": "bor", "E": "dis", "A": "fea", "F": "hap", "T": "sad", "N": "neu"}


def load(root, **options):
    opts = parse_options(OPTIONS, options, "emodb")
    root = require_root(root)
    wav_dir = first_dir(root, ("wav", "wav_corpus"), EXPECTED)

    def make(path, m):
        spk = m["spk"]
        return UttRecord(
            utt=f"emodb-{spk}-{path.stem}", speaker=f"emodb-{spk}", split=None, wav=str(path),
            gender=GENDER[spk], lang="de", emo=CODES[m["emo"]], emo_native=m["emo"],
            extra={"sentence": m["text"]}, source=str(path))
    records, skipped = records_from_names([wav_dir], FILE_RE, "EmoDB", make)
    folds = assign_folds(require_records(records, wav_dir, EXPECTED), opts["folds"])
    attributes = category_attributes("emodb", "de", CODES, folds,
                                     f"{opts['folds']} gender-balanced speaker folds")
    return CorpusRecords("emodb", records, attributes, skipped, {"all": 535}, opts)
