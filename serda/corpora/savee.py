"""SAVEE: 4 male British English speakers, 7 categories in the file name.

Layouts::

    AudioData/DC/sa01.wav          official (speaker = folder)
    DC_sa01.wav                    flattened copies (speaker = prefix)

Codes: a anger, d disgust, f fear, h happiness, n neutral, sa sadness,
su surprise (``sa``/``su`` are matched before single letters). Some
downloads hold a nested duplicate ``AudioData/AudioData/``: only one
level is read and the duplicate is reported. Folds: one per speaker
(leave-one-speaker-out) by default.
"""
from serda.corpora import CorpusRecords, LayoutError, UttRecord
from serda.corpora._layout import (assign_folds, audio_files, category_attributes, match_names,
                                   parse_options, require_records, require_root)

DESCRIPTION = "SAVEE (en-GB, acted): 4 male speakers, 7 categories, leave-one-speaker-out"
OPTIONS = {"folds": (4, "number of speaker folds (4 = leave-one-speaker-out)")}
SPEAKERS = ("DC", "JE", "JK", "KL")
EXPECTED = ("SAVEE AudioData/<DC|JE|JK|KL>/<a|d|f|h|n|sa|su><NN>.wav, or flat "
            "<DC|JE|JK|KL>_<code><NN>.wav files")
OFFICIAL_RE = r"^(?P<emo>sa|su|a|d|f|h|n)(?P<num>\d{2})\.wav$"
FLAT_RE = r"^(?P<spk>DC|JE|JK|KL)_(?P<emo>sa|su|a|d|f|h|n)(?P<num>\d{2})\.wav$"
CODES = {"a": "ang", "d": "dis", "f": "fea", "h": "hap", "n": "neu", "sa": "sad", "su": "sur"}


def _files(root, skipped):
    """(path, speaker, match) in the official or the flat layout."""
    base = root / "AudioData" if (root / "AudioData").is_dir() else root
    if (base / "AudioData").is_dir():
        skipped.append((str(base / "AudioData"), "nested duplicate AudioData/ tree (not read)"))
    spk_dirs = [base / s for s in SPEAKERS if (base / s).is_dir()]
    if spk_dirs:
        return [(p, d.name, m) for d in spk_dirs
                for p, m in match_names(audio_files(d, "*.wav", skipped), OFFICIAL_RE,
                                        skipped, "SAVEE")]
    flat = audio_files(base, "*.wav", skipped)
    if not flat:
        raise LayoutError(f"{root}: neither AudioData/<speaker>/ folders nor flat wav files; "
                          f"expected {EXPECTED}")
    return [(p, m["spk"], m) for p, m in match_names(flat, FLAT_RE, skipped, "SAVEE flat")]


def load(root, **options):
    opts = parse_options(OPTIONS, options, "savee")
    root = require_root(root)
    skipped, records = [], []
    for path, spk, m in _files(root, skipped):
        records.append(UttRecord(
            utt=f"savee-{spk}-{m['emo']}{m['num']}", speaker=f"savee-{spk}", split=None,
            wav=str(path), gender="m", lang="en", emo=CODES[m["emo"]], emo_native=m["emo"],
            source=str(path)))
    folds = assign_folds(require_records(records, root, EXPECTED), opts["folds"])
    attributes = category_attributes("savee", "en", CODES, folds,
                                     f"{opts['folds']} speaker folds (all speakers male)")
    return CorpusRecords("savee", records, attributes, skipped, {"all": 480}, opts)
