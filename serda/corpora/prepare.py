"""Write the records of a corpus as one Kaldi data directory per split."""
import os
import shutil
from collections import Counter
from pathlib import Path

import soundfile as sf

from serda.data.datadir import DataDir
from serda.data.table import write_lines
from serda.data.validate import validate_data_dir
from serda.errors import InputError
from serda.features.audio import decoder_notes

OPTIONAL_FIELDS = (("utt2gender", "gender"), ("utt2lang", "lang"), ("utt2emo", "emo"),
                   ("utt2emo_native", "emo_native"), ("text", "text"))


def _tables(records, log):
    """Tables of one split. An optional field becomes a table when every
    record has it; when only some do, the table is not written and the
    log says how many lack it."""
    tables = {"utt2spk": {r.utt: r.speaker for r in records}}
    if any(r.segment for r in records):
        tables["segments"] = {r.utt: f"{r.segment[0]} {r.segment[1]:.2f} {r.segment[2]:.2f}"
                              for r in records}
        tables["wav.scp"] = {r.segment[0]: r.wav for r in records}
    else:
        tables["wav.scp"] = {r.utt: r.wav for r in records}
    fields = {name: {r.utt: getattr(r, attr) for r in records} for name, attr in OPTIONAL_FIELDS}
    for key in sorted({k for r in records for k in r.dims}):
        fields[f"utt2{key}"] = {r.utt: (f"{r.dims[key]:.6g}" if key in r.dims else None)
                                for r in records}
    for key in sorted({k for r in records for k in r.extra}):
        fields[f"utt2{key}"] = {r.utt: r.extra.get(key) for r in records}
    for name, table in fields.items():
        lacking = sum(v is None for v in table.values())
        if lacking == 0:
            tables[name] = table
        elif lacking < len(table):
            log(f"prepare_data: {name} not written: {lacking} of {len(table)} "
                "utterances lack it")
    return tables


def _probe(path):
    """None when ``path`` is readable audio with samples, else a reason."""
    path = Path(path)
    if not path.is_file():
        return f"audio file missing: {path}"
    try:
        info = sf.info(str(path))
    except Exception as err:  # soundfile raises several types on bad headers
        with open(path, "rb") as f:
            head = f.read(40)
        if head.startswith(b"version https://git-lfs"):
            return f"git-lfs pointer, not audio (run 'git lfs pull'): {path}"
        return f"unreadable audio: {path}: {str(err).splitlines()[0]}"
    if info.frames == 0:
        return f"empty audio (0 samples): {path}"
    return (info.samplerate, info.channels, decoder_notes(path))


def _check_scales(records, attributes):
    """A dimensional label outside the scale the corpus declares is an error
    naming the label file and line it came from."""
    scales = (attributes.get("attributes") or {})
    for r in records:
        for dim, value in r.dims.items():
            scale = (scales.get(dim) or {}).get("scale")
            if scale and not float(scale[0]) <= value <= float(scale[1]):
                raise InputError(r.source or "?", f"{dim} {value:g} of '{r.utt}' is outside "
                                 f"the corpus' scale [{scale[0]}, {scale[1]}]")


def _check_unique(records):
    """One record per utterance id and per stretch of audio: the same file
    (or segment) listed twice, under two speakers or two labels, would
    sit in two folds or count twice; both are errors naming both sources."""
    seen, audio = {}, {}
    for r in records:
        if r.utt in seen:
            raise InputError(r.source or "?", f"duplicate utterance id '{r.utt}' "
                             f"(first from {seen[r.utt]})")
        seen[r.utt] = r.source or "?"
        key = (os.path.realpath(r.wav) if not r.wav.endswith("|") else r.wav,
               tuple(r.segment[1:]) if r.segment else None)
        if key in audio:
            first = audio[key]
            raise InputError(r.source or "?", f"the audio {r.wav}"
                             + (f" ({r.segment[1]:g}-{r.segment[2]:g} s)" if r.segment else "")
                             + f" is listed twice: as '{r.utt}' here and as '{first.utt}' at "
                             f"{first.source or '?'}; keep one line per recording")
        audio[key] = r


def _check_audio(records):
    """Records whose audio is readable, (utt, reason) for the others,
    Counters of sample rates and channel counts over distinct files, and
    (utt, note) for audio read with a remark (a data chunk cut short).
    Commands (``... |``) are trusted here and checked by the feature stage."""
    kept, bad, notes = [], [], []
    rates, channels, seen = Counter(), Counter(), {}
    for r in records:
        if r.wav.endswith("|"):
            kept.append(r)
            continue
        if r.wav not in seen:
            seen[r.wav] = _probe(r.wav)
            if isinstance(seen[r.wav], tuple):
                rates[seen[r.wav][0]] += 1
                channels[seen[r.wav][1]] += 1
        result = seen[r.wav]
        if isinstance(result, str):
            bad.append((r.utt, result))
        else:
            kept.append(r)
            notes += [(r.utt, f"{r.wav}: {note}") for note in result[2]]
    return kept, bad, rates, channels, notes


def _audio_attributes(rates, channels):
    note = {"sample_rates": {int(k): v for k, v in sorted(rates.items())},
            "channels": {int(k): v for k, v in sorted(channels.items())}}
    if set(rates) - {16000} or set(channels) - {1}:
        note["note"] = ("not all audio is 16 kHz mono: the feature stage (serda.features.audio) "
                        "averages channels and resamples to 16 kHz with soxr")
    return note


def _remove_stale_splits(out, name, splits, log):
    """Remove the split dirs an earlier preparation of corpus ``name``
    listed in ``<out>/local/<name>.splits`` that this one does not write
    (a re-import with fewer speakers has fewer folds)."""
    listing = out / "local" / f"{name}.splits"
    if not listing.is_file():
        return
    now = {f"{name}_{s}" for s in splits}
    for old in listing.read_text(encoding="utf-8").split():
        if old not in now and (out / old).is_dir():
            shutil.rmtree(out / old)
            log(f"prepare_data: {out / old} removed: {name} no longer has that split")


def prepare_corpus(corpus, out, log=print):
    """Write ``<out>/<corpus.name>_<split>/`` for every split of ``corpus``.

    Each directory is written under a temporary name, validated, then
    renamed into place. Utterances left out (missing, unreadable or empty
    audio, or reported by the corpus module) go to
    ``<out>/local/<name>_skipped.txt`` with their reasons and are counted;
    ``<out>/local/<name>.splits`` lists the split dirs written.
    attributes.yaml records the sample rates and channel counts found.
    Returns {split: number of utterances}.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(f".{corpus.name}_*.tmp*"):  # left by a run that was killed
        shutil.rmtree(stale, ignore_errors=True)
    for note in corpus.notes:
        log(f"prepare_data: {note}")
    _check_unique(corpus.records)
    _check_scales(corpus.records, corpus.attributes)
    records, missing, rates, channels, notes = _check_audio(corpus.records)
    skipped = list(corpus.skipped) + missing
    splits = sorted({r.split for r in records})
    _remove_stale_splits(out, corpus.name, splits, log)
    counts = {}
    for split in splits:
        recs = [r for r in records if r.split == split]
        attrs = dict(corpus.attributes, split=split, audio=_audio_attributes(rates, channels))
        if corpus.options:
            attrs["options"] = dict(corpus.options)
        final = out / f"{corpus.name}_{split}"
        tmp = out / f".{corpus.name}_{split}.tmp{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            DataDir(_tables(recs, log), attrs).save(tmp)
            validate_data_dir(tmp)
            shutil.rmtree(final, ignore_errors=True)
            os.replace(tmp, final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        counts[split] = len(recs)
    report = out / "local" / f"{corpus.name}_skipped.txt"
    report.parent.mkdir(exist_ok=True)
    write_lines(report, [f"{i} {why}" for i, why in skipped])
    # the corpus' own splits: stage 2 extracts these, a recipe's derived sets reuse them
    write_lines(out / "local" / f"{corpus.name}.splits", [f"{corpus.name}_{s}" for s in splits])
    note_file = out / "local" / f"{corpus.name}_audio_notes.txt"
    write_lines(note_file, [f"{i} {note}" for i, note in notes])
    if notes:
        log(f"prepare_data: {len(notes)} file(s) used with a remark (e.g. a data chunk cut "
            f"short), listed in {note_file}: {notes[0][1]}")
    for split in splits:
        expected = corpus.expected_counts.get(split)
        note = ""
        if expected is not None and expected != counts[split]:
            note = f"  WARNING: the official count is {expected}"
        log(f"prepare_data: {out}/{corpus.name}_{split}: {counts[split]} utterances, "
            f"{len({r.speaker for r in records if r.split == split})} speakers{note}")
    expected = corpus.expected_counts.get("all")
    if expected is not None and expected != sum(counts.values()):
        log(f"prepare_data: {corpus.name}: {sum(counts.values())} utterances in all  "
            f"WARNING: the official count is {expected}")
    if skipped:
        reasons = Counter(why.split(":")[0] for _, why in skipped)
        log(f"prepare_data: {len(skipped)} utterance(s)/file(s) left out, listed in "
            f"{report}: " + "; ".join(f"{n} x {why}" for why, n in reasons.most_common()))
    return counts
