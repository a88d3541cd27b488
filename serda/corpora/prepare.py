"""Write the records of a corpus as one Kaldi data directory per split."""
import os
import shutil
from pathlib import Path

from serda.data.datadir import DataDir
from serda.data.table import write_lines
from serda.data.validate import validate_data_dir
from serda.errors import InputError

OPTIONAL_FIELDS = (("utt2gender", "gender"), ("utt2lang", "lang"), ("utt2emo", "emo"),
                   ("utt2emo_native", "emo_native"), ("text", "text"))


def _tables(records):
    """Tables of one split; a field becomes a table when every record has it."""
    tables = {"utt2spk": {r.utt: r.speaker for r in records},
              "wav.scp": {r.utt: r.wav for r in records}}
    for name, attr in OPTIONAL_FIELDS:
        values = [getattr(r, attr) for r in records]
        if all(v is not None for v in values):
            tables[name] = {r.utt: v for r, v in zip(records, values)}
    dims = set.intersection(*(set(r.dims) for r in records)) if records else set()
    for dim in sorted(dims):
        tables[f"utt2{dim}"] = {r.utt: f"{r.dims[dim]:.6g}" for r in records}
    return tables


def _check_unique(records):
    seen = {}
    for r in records:
        if r.utt in seen:
            raise InputError(r.source or "?", f"duplicate utterance id '{r.utt}' "
                             f"(first from {seen[r.utt]})")
        seen[r.utt] = r.source or "?"


def _missing_audio(records):
    """Split records into those whose audio exists and (utt, reason) pairs."""
    kept, missing = [], []
    for r in records:
        if r.wav.endswith("|") or Path(r.wav).is_file():
            kept.append(r)
        else:
            missing.append((r.utt, f"audio file missing: {r.wav}"))
    return kept, missing


def prepare_corpus(corpus, out, log=print):
    """Write ``<out>/<corpus.name>_<split>/`` for every split of ``corpus``.

    Each directory is written under a temporary name, validated, then
    renamed into place. Utterances left out (missing audio, or reported by
    the corpus module) go to ``<out>/local/<name>_skipped.txt`` and are counted.
    Returns {split: number of utterances}.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _check_unique(corpus.records)
    records, missing = _missing_audio(corpus.records)
    skipped = list(corpus.skipped) + missing
    splits = sorted({r.split for r in records})
    counts = {}
    for split in splits:
        recs = [r for r in records if r.split == split]
        attrs = dict(corpus.attributes, split=split)
        final = out / f"{corpus.name}_{split}"
        tmp = out / f".{corpus.name}_{split}.tmp{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        DataDir(_tables(recs), attrs).save(tmp)
        validate_data_dir(tmp)
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
        counts[split] = len(recs)
    report = out / "local" / f"{corpus.name}_skipped.txt"
    report.parent.mkdir(exist_ok=True)
    write_lines(report, [f"{i} {why}" for i, why in skipped])
    for split in splits:
        expected = corpus.expected_counts.get(split)
        note = ""
        if expected is not None and expected != counts[split]:
            note = f"  WARNING: the official count is {expected}"
        log(f"prepare_data: {out}/{corpus.name}_{split}: {counts[split]} utterances, "
            f"{len({r.speaker for r in records if r.split == split})} speakers{note}")
    if skipped:
        log(f"prepare_data: {len(skipped)} utterance(s)/file(s) left out, listed in "
            f"{out}/{corpus.name}_skipped.txt")
    return counts
