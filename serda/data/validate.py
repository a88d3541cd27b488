"""Check a data directory against the format in DESIGN.md.

:func:`validate_data_dir` collects every problem it finds (each naming file
and line) and raises one :class:`ValidationError` listing them, so a user
fixes a broken data prep in one pass rather than one error per run.
"""
import math
from pathlib import Path

from serda.data.codes import EMOTIONS, GENDERS, ISO639_1
from serda.data.datadir import DIMENSIONS, read_attributes, utt_table_names
from serda.data.table import check_sorted, read_table
from serda.errors import InputError, SerdaError

MAX_REPORTED = 50


class ValidationError(SerdaError):
    """A data directory failed validation; ``problems`` lists each one."""

    def __init__(self, path, problems):
        self.problems = problems
        shown = problems[:MAX_REPORTED]
        more = len(problems) - len(shown)
        text = f"{path}: {len(problems)} problem(s):\n  " + "\n  ".join(shown)
        if more:
            text += f"\n  ... and {more} more"
        super().__init__(text)


def _line_numbers(table):
    return {key: i for i, key in enumerate(table, 1)}


def _check_values(path, table, check, problems):
    """Apply ``check(value) -> message or None`` to each entry of ``table``."""
    lines = _line_numbers(table)
    for key, value in table.items():
        msg = check(value)
        if msg:
            problems.append(f"{path}:{lines[key]}: {key}: {msg}")


def _dimension_checker(name, scale):
    lo, hi = float(scale[0]), float(scale[1])

    def check(value):
        try:
            x = float(value)
        except ValueError:
            return f"{name} '{value}' is not a number"
        if not math.isfinite(x):
            return f"{name} '{value}' is not finite"
        if not lo <= x <= hi:
            return f"{name} {x:g} is outside the declared scale [{lo:g}, {hi:g}]"
        return None
    return check


def _wav_entry_check(value):
    if value.endswith("|"):
        return None  # a command pipe; its output is checked when read
    return None if Path(value).is_file() else f"audio file '{value}' does not exist"


def _feats_entry_check(value):
    ark, sep, offset = value.rpartition(":")
    if not sep or not offset.isdigit():
        return f"'{value}' is not <ark>:<offset>"
    return None if Path(ark).is_file() else f"ark '{ark}' does not exist"


def _positive_int_check(value):
    return None if value.isdigit() and int(value) > 0 else f"'{value}' is not a positive integer"


def _segment_check(recordings):
    def check(value):
        parts = value.split()
        if len(parts) != 3:
            return f"'{value}' is not '<recording> <start> <end>'"
        try:
            start, end = float(parts[1]), float(parts[2])
        except ValueError:
            return f"start/end '{parts[1]} {parts[2]}' are not numbers"
        if not 0 <= start < end:
            return f"start {start:g} is not in [0, end {end:g})"
        if recordings is not None and parts[0] not in recordings:
            return f"recording '{parts[0]}' is not in wav.scp"
        return None
    return check


def audio_problems(path, tables):
    """Decode every utterance's audio (serda.features.audio): one problem
    each for unreadable, empty, too short, NaN and silent audio; notes (not
    problems) for other sample rates and channel counts, which the feature
    stage converts."""
    import soundfile as sf

    from serda.features.audio import AudioError, read_audio
    problems, notes = [], {}
    wav = tables.get("wav.scp", {})
    segs = tables.get("segments")
    lines = _line_numbers(wav)
    for utt in sorted(tables["utt2spk"], key=lambda u: u.encode()):
        rec, segment = utt, None
        if segs is not None and utt in segs:
            rec, start, end = segs[utt].split()
            segment = (float(start), float(end))
        if rec not in wav:
            continue  # reported by the table checks
        try:
            read_audio(wav[rec], 16000, segment)
        except AudioError as err:
            problems.append(f"{path / 'wav.scp'}:{lines[rec]}: {utt}: {err}")
            continue
        if not wav[rec].endswith("|"):
            info = sf.info(wav[rec])
            for what, value, ok in (("sample rate", info.samplerate, 16000),
                                    ("channels", info.channels, 1)):
                if value != ok:
                    notes[f"{what} {value}"] = notes.get(f"{what} {value}", 0) + 1
    return problems, notes


def feature_problems(path, tables):
    """Read every row of feats.scp: non-finite values and inconsistent dims
    are problems; every wav.scp utterance must be in feats.scp or bad_utts."""
    import kaldiio
    import numpy as np
    problems, dims = [], {}
    feats = tables.get("feats.scp", {})
    lines = _line_numbers(feats)
    for utt, entry in feats.items():
        try:
            m = np.asarray(kaldiio.load_mat(entry))
        except Exception as err:  # kaldiio raises bare Exceptions on bad arks
            problems.append(f"{path / 'feats.scp'}:{lines[utt]}: {utt}: unreadable ({err})")
            continue
        dims.setdefault(m.shape[1:] if m.ndim > 1 else m.shape, []).append(utt)
        bad = ~np.isfinite(m)
        if bad.any():
            cols = np.flatnonzero(bad.reshape(-1, m.shape[-1]).any(axis=0))
            problems.append(f"{path / 'feats.scp'}:{lines[utt]}: {utt}: {int(bad.sum())} "
                            f"non-finite value(s) in dim(s) {', '.join(map(str, cols[:10]))}")
    if len(dims) > 1:
        shapes = ", ".join(f"{k} ({len(v)} utts, e.g. {v[0]})" for k, v in dims.items())
        problems.append(f"{path / 'feats.scp'}: rows of different dims: {shapes}")
    bad_utts = read_table(path / "bad_utts") if (path / "bad_utts").is_file() else {}
    wav_utts = set(tables.get("segments") or tables.get("wav.scp") or {})
    for utt in sorted(wav_utts - set(feats) - set(bad_utts))[:MAX_REPORTED]:
        problems.append(f"{path}: '{utt}' is in wav.scp but neither in feats.scp nor in bad_utts")
    return problems


def validate_data_dir(path, check_audio=True, check_feats=True, decode_audio=False,
                      read_feats=False, notes=None):
    """Validate ``path``; return the number of utterances or raise.

    Checks: every table parses (no duplicate keys, no empty values), is
    sorted in C-locale order, and holds exactly the utterances of utt2spk
    (wav.scp included); spk2utt agrees with utt2spk and each speaker id
    prefixes its utterance ids; audio files (and feature arks) exist;
    genders, language codes and emotion codes come from the controlled
    vocabularies; dimensional labels are numbers inside the scale declared
    in attributes.yaml. ``decode_audio``: also decode every utterance
    (:func:`audio_problems`; notes go to ``notes``, a dict); ``read_feats``:
    also read every feature row (:func:`feature_problems`).
    """
    path = Path(path)
    if not path.is_dir():
        raise ValidationError(path, [f"{path}: not a directory"])
    problems = []
    tables = {}
    utt_tables = utt_table_names(path)
    for name in utt_tables + ("wav.scp", "spk2utt"):
        file = path / name
        if not file.is_file():
            continue
        try:
            tables[name] = read_table(file, allow_empty_value=(name == "text"))
        except InputError as err:
            problems.append(str(err))
            continue
        try:
            check_sorted(file, list(tables[name]))
        except InputError as err:
            problems.append(str(err))
    if "utt2spk" not in tables:
        if not (path / "utt2spk").is_file():
            problems.append(f"{path / 'utt2spk'}: missing")
        raise ValidationError(path, problems)
    if "wav.scp" not in tables and "feats.scp" not in tables:
        problems.append(f"{path}: needs wav.scp or feats.scp")

    utt2spk = tables["utt2spk"]
    utts = set(utt2spk)
    if not utts:
        problems.append(f"{path / 'utt2spk'}: empty")

    # the same utterance set everywhere
    for name in utt_tables[1:]:
        if name not in tables:
            continue
        keys = set(tables[name])
        lines = _line_numbers(tables[name])
        for utt in sorted(keys - utts)[:MAX_REPORTED]:
            problems.append(f"{path / name}:{lines[utt]}: utterance '{utt}' is not in utt2spk")
        missing = sorted(utts - keys)
        if missing:
            problems.append(f"{path / name}: lacks {len(missing)} utterance(s) of utt2spk, "
                            f"first '{missing[0]}' (run utils/fix_data_dir.py)")

    # speakers
    lines = _line_numbers(utt2spk)
    for utt, spk in utt2spk.items():
        if not utt.startswith(spk):
            problems.append(f"{path / 'utt2spk'}:{lines[utt]}: speaker id '{spk}' "
                            f"is not a prefix of utterance id '{utt}'")
    if "spk2utt" in tables:
        derived = {}
        for utt in sorted(utt2spk, key=lambda u: u.encode()):
            derived.setdefault(utt2spk[utt], []).append(utt)
        given = {s: v.split() for s, v in tables["spk2utt"].items()}
        if given != derived:
            problems.append(f"{path / 'spk2utt'}: disagrees with utt2spk "
                            "(run utils/fix_data_dir.py to regenerate it)")

    # recordings
    recordings = set(tables["wav.scp"]) if "wav.scp" in tables else None
    if "segments" in tables:
        _check_values(path / "segments", tables["segments"], _segment_check(recordings), problems)
    elif recordings is not None:
        for utt in sorted(utts - recordings)[:MAX_REPORTED]:
            problems.append(f"{path / 'wav.scp'}: utterance '{utt}' has no audio entry")
        lines = _line_numbers(tables["wav.scp"])
        for utt in sorted(recordings - utts)[:MAX_REPORTED]:
            problems.append(f"{path / 'wav.scp'}:{lines[utt]}: utterance '{utt}' has no utt2spk "
                            "line (run utils/fix_data_dir.py)")
    if check_audio and "wav.scp" in tables:
        _check_values(path / "wav.scp", tables["wav.scp"], _wav_entry_check, problems)
    if check_feats and "feats.scp" in tables:
        _check_values(path / "feats.scp", tables["feats.scp"], _feats_entry_check, problems)
    for name in ("utt2num_frames",):
        if name in tables:
            _check_values(path / name, tables[name], _positive_int_check, problems)

    # controlled vocabularies
    vocab = {
        "utt2gender": (GENDERS, "gender"),
        "utt2lang": (ISO639_1, "language code (ISO 639-1)"),
        "utt2emo": (set(EMOTIONS), "emotion category"),
    }
    for name, (allowed, what) in vocab.items():
        if name in tables:
            _check_values(path / name, tables[name],
                          lambda v, a=allowed, w=what: None if v in a else f"unknown {w} '{v}'",
                          problems)

    # dimensional labels against declared scales
    attributes = {}
    try:
        attributes = read_attributes(path)
    except InputError as err:
        problems.append(str(err))
    scales = (attributes.get("attributes") or {}) if isinstance(attributes, dict) else {}
    for dim in DIMENSIONS:
        name = f"utt2{dim}"
        if name not in tables:
            continue
        scale = (scales.get(dim) or {}).get("scale")
        if not (isinstance(scale, (list, tuple)) and len(scale) == 2):
            problems.append(f"{path / 'attributes.yaml'}: no scale declared for '{dim}' "
                            f"(attributes: {dim}: scale: [lo, hi])")
            continue
        _check_values(path / name, tables[name], _dimension_checker(dim, scale), problems)

    if decode_audio and "wav.scp" in tables:
        found, found_notes = audio_problems(path, tables)
        problems += found
        if notes is not None:
            notes.update(found_notes)
    if read_feats and "feats.scp" in tables:
        problems += feature_problems(path, tables)
    if problems:
        raise ValidationError(path, problems)
    return len(utts)
