"""TESS (Toronto emotional speech set): 2 female speakers, 200 words x 7
emotions each.

Layout::

    OAF_angry/OAF_back_angry.wav   ...   YAF_pleasant_surprised/YAF_bar_ps.wav

Folder capitalisation is inconsistent (``OAF_Fear``, ``YAF_fear``), so the
label comes from the file name (lower-cased), never the folder. ``ps`` is
pleasant surprise. A wrapper folder around the 14 emotion folders is
accepted. With two speakers, speaker-independent evaluation is close to
meaningless: the two folds are the two speakers.
"""
from serda.corpora import CorpusRecords, UttRecord
from serda.corpora._layout import (assign_folds, category_attributes, find_dirs, parse_options,
                                   records_from_names, require_records, require_root)

DESCRIPTION = "TESS (en-CA, acted): 2 female speakers, 7 categories, one fold per speaker"
OPTIONS = {}
EXPECTED = "TESS folders OAF_<emotion>/ and YAF_<emotion>/ holding <OAF|YAF>_<word>_<emotion>.wav"
FILE_RE = r"^(?P<spk>OAF|YAF)_(?P<word>[a-z]+)_(?P<emo>angry|disgust|fear|happy|neutral|ps|sad)\.wav$"
CODES = {"angry": "ang", "disgust": "dis", "fear": "fea", "happy": "hap", "neutral": "neu",
         "ps": "sur", "sad": "sad"}


def load(root, **options):
    opts = parse_options(OPTIONS, options, "tess")
    root = require_root(root)

    def make(path, m):
        spk = m["spk"]
        return UttRecord(
            utt=f"tess-{spk}-{path.stem}", speaker=f"tess-{spk}", split=None, wav=str(path),
            gender="f", lang="en", emo=CODES[m["emo"]], emo_native=m["emo"],
            extra={"word": m["word"]}, source=str(path))
    records, skipped = records_from_names(
        find_dirs(root, lambda n: n[:4].upper() in ("OAF_", "YAF_"), EXPECTED), FILE_RE, "TESS", make)
    folds = assign_folds(require_records(records, root, EXPECTED), 2)
    attributes = category_attributes("tess", "en", CODES, folds,
                                     "2 folds = the 2 speakers (OAF 64 y, YAF 26 y)")
    return CorpusRecords("tess", records, attributes, skipped, {"all": 2800}, opts)
