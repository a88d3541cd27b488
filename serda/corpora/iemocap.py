"""USC-IEMOCAP: turns of Session1-5, categorical and V/A/D (1-5) labels.

Layout (IEMOCAP_full_release)::

    Session<n>/dialog/EmoEvaluation/<dialog>.txt       one block per turn
    Session<n>/sentences/wav/<dialog>/<turn>.wav        16 kHz turn audio

Only the ``EmoEvaluation/*.txt`` files are read (not the Attribute/,
Categorical/ and Self-evaluation/ subfolders, whose formats differ). The
summary line of a block, TAB separated::

    [6.2901 - 8.2357]	Ses01F_impro01_F000	neu	[2.5000, 2.5000, 2.5000]

gives the consensus code and [valence, activation, dominance] in that
order. The speaker of a turn is the session plus the F/M letter of the
*turn* id (``Ses01F_impro04_M000`` is the male actor of session 1), not
the dialog prefix. One data dir per session (``iemocap_ses1`` ...
``iemocap_ses5``); leave-one-session-out folds are combinations of them.
"""
import re

from serda.corpora import CorpusRecords, LayoutError, UttRecord
from serda.corpora._layout import (audio_files, map_code, matching_lines, parse_options,
                                   require_root)
from serda.errors import InputError

DESCRIPTION = "USC-IEMOCAP (en, acted dyadic): 5 sessions, categories + V/A/D on 1-5"
OPTIONS = {
    "four_class": (False, "keep only neu/hap/ang/sad with exc merged into hap (5531 turns)"),
}
EXPECTED = ("IEMOCAP_full_release with Session1..Session5/dialog/EmoEvaluation/*.txt and "
            "Session<n>/sentences/wav/<dialog>/<turn>.wav")
TURN_RE = re.compile(
    r"^(?P<dialog>Ses0(?P<session>[1-5])(?P<dlg_sex>[FM])_(?P<type>impro|script)"
    r"(?P<num>\d{2})(?P<suffix>[ab]?)(?:_(?P<part>\d)(?P<part_suffix>[ab]?))?)"
    r"_(?P<spk_sex>[FM])(?P<turn>\d{3})$")
SUMMARY_RE = re.compile(
    r"^\[(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\]\s+(\S+)\s+(\w{3})\s+"
    r"\[(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)\]\s*$")
CODES = {"neu": "neu", "hap": "hap", "exc": "exc", "sad": "sad", "ang": "ang", "fru": "fru",
         "sur": "sur", "fea": "fea", "dis": "dis", "oth": "oth", "xxx": "xxx"}
FOUR_CLASS = {"neu": "neu", "hap": "hap", "exc": "hap", "sad": "sad", "ang": "ang"}
# utterance WAVs per session in the full release
OFFICIAL = {"ses1": 1819, "ses2": 1811, "ses3": 2136, "ses4": 2103, "ses5": 2170}


def parse_evaluation(path):
    """(line number, line, match) of every summary line of one file; a
    line starting with '[' that is not a summary line is an InputError."""
    return matching_lines(path, "[", SUMMARY_RE, "summary line (expected '[start - end] "
                          "<TAB> turn <TAB> code <TAB> [V, A, D]')")


def _record(root, path, lineno, line, m):
    start, end, turn, code, val, act, dom = m.groups()
    t = TURN_RE.match(turn)
    source = f"{path}:{lineno}"
    if not t:
        raise InputError(path, f"turn id '{turn}' does not match {TURN_RE.pattern}", lineno, line)
    speaker = f"Ses0{t['session']}{t['spk_sex']}"
    emo = map_code(code, CODES, source, "IEMOCAP")
    return UttRecord(
        utt=f"iemocap-{speaker}-{turn}", speaker=f"iemocap-{speaker}",
        split=f"ses{t['session']}",
        wav=str(root / f"Session{t['session']}" / "sentences" / "wav" / t["dialog"] / f"{turn}.wav"),
        gender=t["spk_sex"].lower(), lang="en", emo=emo, emo_native=code,
        dims={"valence": float(val), "arousal": float(act), "dominance": float(dom)},
        extra={"session_type": t["type"]}, source=source)


def load(root, **options):
    opts = parse_options(OPTIONS, options, "iemocap")
    root = require_root(root)
    eval_dirs = sorted(root.glob("Session[1-5]/dialog/EmoEvaluation"))
    if not eval_dirs:
        raise LayoutError(f"{root}: no Session<n>/dialog/EmoEvaluation/; expected {EXPECTED}")
    skipped, records = [], []
    for folder in eval_dirs:
        for path in audio_files(folder, "*.txt", skipped):
            for lineno, line, m in parse_evaluation(path):
                rec = _record(root, path, lineno, line, m)
                if opts["four_class"]:
                    if rec.emo_native not in FOUR_CLASS:
                        skipped.append((rec.utt, f"'{rec.emo_native}' is not in the 4-class "
                                                 "subset (four_class=true)"))
                        continue
                    rec.emo = FOUR_CLASS[rec.emo_native]
                records.append(rec)
    labelled = {r.wav for r in records}
    native = {r.utt for r in records} | {u for u, _ in skipped}
    for wav in audio_files(root, "Session[1-5]/sentences/wav/*/*.wav", skipped):
        t = TURN_RE.match(wav.stem)
        speaker = f"Ses0{t['session']}{t['spk_sex']}" if t else None
        if str(wav) not in labelled and f"iemocap-{speaker}-{wav.stem}" not in native:
            skipped.append((str(wav), "audio without a label block in EmoEvaluation"))
    attributes = {
        "corpus": "iemocap", "language": "en",
        "protocol": "one data dir per session (2 speakers each); leave-one-session-out "
                    "folds test on session i; speaker = session + F/M letter of the turn id",
        "attributes": {d: {"scale": [1, 5], "orientation": "1 = negative / calm / weak",
                           "source": "mean of external evaluators, EmoEvaluation summary line"}
                       for d in ("valence", "arousal", "dominance")},
        "categories": "four_class: neu hap(+exc) ang sad" if opts["four_class"]
                      else "all consensus codes (xxx = no agreement)",
    }
    return CorpusRecords("iemocap", records, attributes, skipped,
                         {} if opts["four_class"] else OFFICIAL, opts)
