"""MSP-IMPROV: 6 sessions of improvised dyads, consensus codes and
A/V/D/N on 1-5.

Layout::

    Evaluation.txt (also spelled Evalution.txt)
    [Audio/]session<n>/S<nn><T>/<P|R|S|T>/MSP-IMPROV-S01A-F01-P-FM01.wav

``Evaluation.txt`` holds one block per clip: a consensus line naming the
*video* with a ``UTD-IMPROV-`` prefix, then rater lines, then a blank line::

    UTD-IMPROV-S01A-F01-P-FM01.avi; N; A:2.750000; V:3.000000; D:2.875000 ; N:3.250000;

The audio is found by a recursive search for ``MSP-IMPROV-*.wav`` and
matched by stem (a nested duplicate copy is reported, not used twice).
Speaker F0n / M0n belongs to session n; one data dir per session.

Arousal orientation is disputed in public loaders; ``arousal_orientation``
chooses ``as_is`` (default) or ``flip`` (6 - A), and data preparation logs
the mean arousal of angry vs sad clips so the choice can be checked.
"""
import math
import re

from serda.corpora import CorpusRecords, UttRecord
from serda.corpora._layout import (audio_files, first_file, map_code, matching_lines,
                                   parse_options, require_root)
from serda.errors import InputError, SerdaError

DESCRIPTION = "MSP-IMPROV (en, improvised dyads): 6 sessions, codes + A/V/D/N on 1-5"
OPTIONS = {
    "arousal_orientation": ("as_is", "as_is | flip (6 - A) if real data shows it reversed"),
}
EXPECTED = ("MSP-IMPROV with Evaluation.txt (or Evalution.txt) and "
            "[Audio/]session<n>/<S..>/<P|R|S|T>/MSP-IMPROV-*.wav")
CLIP_RE = re.compile(r"^S(?P<sent>\d{2})(?P<target>[AHSN])-(?P<spk>(?P<sex>[FM])0(?P<session>[1-6]))"
                     r"-(?P<cond>[PRST])-(?P<rest>[FM]{1,2}\d{2,3})$")
NUM = r"(\d+(?:\.\d+)?|NaN)"
CONSENSUS_RE = re.compile(rf"^UTD-IMPROV-(?P<clip>[A-Z0-9-]+)\.avi;\s*(?P<code>[A-Z]);\s*"
                          rf"A:{NUM};\s*V:{NUM};\s*D:{NUM}\s*;(?:\s*N:{NUM}\s*;?)?\s*$")
CODES = {"A": "ang", "H": "hap", "S": "sad", "N": "neu", "O": "oth", "X": "xxx"}
CONDITIONS = {"P": "natural_interaction", "R": "read", "S": "improvised_other",
              "T": "improvised_target"}


def parse_evaluation(path):
    """(line number, line, match) per consensus line; rater and blank lines
    are skipped; a ``UTD-IMPROV-`` line that does not parse is an
    InputError naming file and line."""
    return matching_lines(path, "UTD-IMPROV-", CONSENSUS_RE, "consensus line (expected "
                          "'UTD-IMPROV-<id>.avi; <code>; A:x; V:x; D:x ; N:x;')")


def _audio_index(root, skipped):
    index = {}
    for wav in audio_files(root, "**/*MSP-IMPROV-*.wav", skipped):
        if wav.stem in index:
            skipped.append((str(wav), f"duplicate copy of {index[wav.stem]} (ignored)"))
        else:
            index[wav.stem] = wav
    return index


def load(root, **options):
    opts = parse_options(OPTIONS, options, "msp_improv")
    if opts["arousal_orientation"] not in ("as_is", "flip"):
        raise SerdaError("msp_improv option arousal_orientation must be as_is or flip")
    root = require_root(root)
    labels = first_file(root, ("Evaluation.txt", "Evalution.txt"), EXPECTED)
    skipped, records, seen = [], [], {}
    audio = _audio_index(root, skipped)
    for lineno, line, m in parse_evaluation(labels):
        clip, code, a, v, d, n = m.groups()
        source = f"{labels}:{lineno}"
        c = CLIP_RE.match(clip)
        if not c:
            raise InputError(labels, f"clip id '{clip}' does not match {CLIP_RE.pattern}",
                             lineno, line)
        stem = f"MSP-IMPROV-{clip}"
        if stem in seen:
            skipped.append((f"{source}", f"second consensus line for {stem} (first at "
                                         f"line {seen[stem]}; ignored)"))
            continue
        seen[stem] = lineno
        if stem not in audio:
            skipped.append((stem, f"labelled at {source} but no {stem}.wav under {root}"))
            continue
        dims = {"arousal": float(a), "valence": float(v), "dominance": float(d)}
        nan = [k for k, x in dims.items() if math.isnan(x)]
        if nan:
            skipped.append((stem, f"{', '.join(nan)} is NaN at {source}"))
            continue
        if opts["arousal_orientation"] == "flip":
            dims["arousal"] = 6.0 - dims["arousal"]
        extra = {"emo_acted": CODES[c["target"]], "condition": CONDITIONS[c["cond"]]}
        if n is not None and n != "NaN":
            extra["naturalness"] = f"{float(n):.6g}"
        speaker = c["spk"]
        records.append(UttRecord(
            utt=f"msp_improv-{speaker}-{stem}", speaker=f"msp_improv-{speaker}",
            split=f"ses{c['session']}", wav=str(audio[stem]), gender=c["sex"].lower(),
            lang="en", emo=map_code(code, CODES, source, "MSP-IMPROV"), emo_native=code,
            dims=dims, extra=extra, source=source))
    for stem in sorted(set(audio) - set(seen)):
        skipped.append((str(audio[stem]), f"audio without a consensus line in {labels.name}"))
    attributes = {
        "corpus": "msp_improv", "language": "en",
        "protocol": "one data dir per session (speakers F0n, M0n); leave-one-session-out folds",
        "attributes": {d: {"scale": [1, 5], "orientation": "1 = negative / calm / weak",
                           "source": f"consensus line of {labels.name}"}
                       for d in ("arousal", "valence", "dominance")},
        "arousal_orientation": opts["arousal_orientation"],
        "arousal_check": orientation_check(records),
    }
    return CorpusRecords("msp_improv", records, attributes, skipped, {}, opts,
                         [f"msp_improv: {attributes['arousal_check']}"])


def orientation_check(records):
    """Mean arousal of angry and of sad clips: angry should be higher."""
    means = {}
    for code in ("ang", "sad"):
        values = [r.dims["arousal"] for r in records if r.emo == code]
        if values:
            means[code] = round(sum(values) / len(values), 3)
    if len(means) == 2:
        verdict = "ok" if means["ang"] > means["sad"] else \
            "REVERSED? angry is not above sad: consider arousal_orientation=flip"
        return f"mean arousal angry {means['ang']} vs sad {means['sad']}: {verdict}"
    return "not enough angry and sad clips to check"
