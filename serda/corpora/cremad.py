"""CREMA-D: 91 actors, 6 categories (acted intent) in the file name.

Layout::

    AudioWAV/1001_DFA_ANG_XX.wav      actor_sentence_emotion_level
    VideoDemographics.csv             ActorID,Age,Sex,Race,Ethnicity

Known quirks handled: ``1040_ITH_SAD_X.wav`` (misnamed before 2022) is
accepted and its id normalised to ``_XX`` (with a logged note);
unreadable files (``1076_MTI_NEU_XX``) and git-lfs pointer files left by zip downloads of the GitHub repo are left out with
the reason by data preparation. The labels are the acted intents, not the
perceived votes.
"""
import csv
import io

from serda.corpora import CorpusRecords, UttRecord
from serda.corpora._layout import (assign_folds, audio_files, category_attributes, first_dir,
                                   match_names, parse_options, require_records, require_root)
from serda.errors import InputError
from serda.textfile import read_utf8

DESCRIPTION = "CREMA-D (en-US, acted): 91 actors, 6 categories, speaker folds"
OPTIONS = {"folds": (5, "number of gender-balanced actor folds")}
EXPECTED = "CREMA-D with AudioWAV/<actor>_<sentence>_<EMO>_<LEVEL>.wav and VideoDemographics.csv"
FILE_RE = (r"^(?P<actor>10\d{2})_(?P<sent>IEO|TIE|IOM|IWW|TAI|MTI|IWL|ITH|DFA|ITS|TSI|WSI)"
           r"_(?P<emo>ANG|DIS|FEA|HAP|NEU|SAD)_(?P<lvl>LO|MD|HI|XX|X)\.wav$")
CODES = {"ANG": "ang", "DIS": "dis", "FEA": "fea", "HAP": "hap", "NEU": "neu", "SAD": "sad"}
SEX = {"Male": "m", "Female": "f"}


def read_demographics(path):
    """ActorID -> m/f from VideoDemographics.csv; InputError on bad rows."""
    genders = {}
    rows = list(csv.reader(io.StringIO(read_utf8(path))))
    header = rows[0] if rows else []
    if "ActorID" not in header or "Sex" not in header:
        raise InputError(path, "header lacks ActorID or Sex", 1)
    a, s = header.index("ActorID"), header.index("Sex")
    for lineno, row in enumerate(rows[1:], 2):
        if not row:
            continue
        if len(row) != len(header) or row[s] not in SEX:
            raise InputError(path, f"expected {len(header)} fields with Sex Male or Female",
                             lineno, ",".join(row))
        genders[row[a]] = SEX[row[s]]
    return genders


def load(root, **options):
    opts = parse_options(OPTIONS, options, "cremad")
    root = require_root(root)
    wav_dir = first_dir(root, ("AudioWAV",), EXPECTED)
    demo = root / "VideoDemographics.csv"
    genders = read_demographics(demo) if demo.is_file() else {}
    skipped, records, notes = [], [], []
    for path, m in match_names(audio_files(wav_dir, "*.wav", skipped), FILE_RE, skipped,
                               "CREMA-D"):
        actor, level = m["actor"], m["lvl"]
        stem = path.stem
        if level == "X":
            stem = stem + "X"
            notes.append(f"{path.name}: misnamed level '_X' read as '_XX' (id {stem})")
        records.append(UttRecord(
            utt=f"cremad-{actor}-{stem}", speaker=f"cremad-{actor}", split=None, wav=str(path),
            gender=genders.get(actor), lang="en", emo=CODES[m["emo"]], emo_native=m["emo"],
            extra={"sentence": m["sent"], "level": "XX" if level == "X" else level},
            source=str(path)))
    folds = assign_folds(require_records(records, root, EXPECTED), opts["folds"])
    attributes = category_attributes("cremad", "en", CODES, folds,
                                     f"{opts['folds']} gender-balanced actor folds")
    if not genders:
        attributes["note"] = f"no {demo.name}: genders unknown, folds not gender-balanced"
    return CorpusRecords("cremad", records, attributes, skipped, {"all": 7442}, opts, notes)
