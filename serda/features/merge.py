"""The shards of a feature extraction: what is left to do, and the merge.

Extraction jobs write shards ``<dest>/data/feats.<g>.<k>.{ark,scp,bad,num_frames}``
(run g of the extraction, job k); the ``.scp`` is renamed into place last,
so a shard with one is finished. A rerun after an interrupted extraction
(the same source and options, any ``--nj``) keeps every finished shard and
extracts only the utterances none of them holds, in a new run g + 1
(:func:`plan_remaining`); an unfinished shard's files are removed. After
the jobs, ``feats.scp`` (and ``utt2num_frames``) are the union of the
finished shards, utterances left out go to ``bad_utts``, and every table of
the data dir is restricted to the utterances with features. Every input
utterance ends up in exactly one of feats.scp or bad_utts; the merge fails
otherwise, naming the utterances.
"""
import re
from pathlib import Path

from serda.data.datadir import DataDir, append_bad_utts
from serda.data.table import read_table, write_lines, write_table
from serda.errors import InputError

SHARD = re.compile(r"^feats\.(\d+)\.(\d+)\.(ark|scp|bad|notes|num_frames|scp\.tmp)$")
NOTES = "audio_notes"   # <utt> <what the decoder noticed>, for utterances used anyway


def shard_prefixes(data_dir):
    """(finished shard prefixes, unfinished ones) under ``data_dir/data``."""
    found = {}
    for f in (Path(data_dir) / "data").glob("feats.*"):
        m = SHARD.match(f.name)
        if m:
            found.setdefault(f.with_name(f"feats.{m[1]}.{m[2]}"), set()).add(m[3])
    finished = sorted(p for p, kinds in found.items() if "scp" in kinds)
    return finished, sorted(p for p in found if p not in finished)


def plan_remaining(data_dir, todo_dir, log=print):
    """Write ``todo_dir``: the utterances of ``data_dir`` that no finished
    shard holds; remove unfinished shards. Returns (utterances to do, the
    number of the next run)."""
    data_dir = Path(data_dir)
    finished, unfinished = shard_prefixes(data_dir)
    for prefix in unfinished:
        for f in prefix.parent.glob(prefix.name + ".*"):
            f.unlink()
    done = set()
    for prefix in finished:
        done |= set(read_table(Path(f"{prefix}.scp")))
        done |= set(_read_optional(Path(f"{prefix}.bad")))
    data = DataDir.load(data_dir)
    todo = [u for u in data.utts if u not in done]
    runs = [int(SHARD.match(Path(f"{p}.scp").name)[1]) for p in finished]
    if finished:
        log(f"merge_feats: {data_dir}: an earlier run left {len(finished)} finished shard(s) "
            f"holding {len(data.utts) - len(todo)} of {len(data.utts)} utterances; "
            f"{len(todo)} left to extract" + (f" (removed {len(unfinished)} unfinished "
                                              "shard(s))" if unfinished else ""))
    if todo:
        data.subset(todo).save(todo_dir, copy_from=data_dir)
    return len(todo), max(runs, default=0) + 1


def _read_optional(path):
    return read_table(path) if path.is_file() and path.stat().st_size else {}


def merge_feature_shards(data_dir, prefixes=None):
    """Merge shards ``prefixes`` (paths without suffix; default: every
    finished shard of ``data_dir``) into ``data_dir``.

    Returns (n_with_features, n_bad).
    """
    data_dir = Path(data_dir)
    data = DataDir.load(data_dir)
    feats, frames, bad, notes = {}, {}, {}, []
    if prefixes is None:
        prefixes = shard_prefixes(data_dir)[0]
    for prefix in map(Path, prefixes):
        scp = Path(f"{prefix}.scp")
        if not scp.is_file():
            raise InputError(scp, "missing: this extraction job did not finish (see its log)")
        feats.update(read_table(scp))
        frames.update(_read_optional(Path(f"{prefix}.num_frames")))
        bad.update(_read_optional(Path(f"{prefix}.bad")))
        if Path(f"{prefix}.notes").is_file():
            notes += Path(f"{prefix}.notes").read_text(encoding="utf-8").splitlines()
    utts = set(data.utts)
    lost = sorted(utts - set(feats) - set(bad))
    if lost:
        raise InputError(data_dir, f"{len(lost)} utterance(s) neither extracted nor in a "
                         f"shard's .bad list, first '{lost[0]}'")
    unknown = sorted((set(feats) | set(bad)) - utts)
    if unknown:
        raise InputError(data_dir, f"shards hold {len(unknown)} utterance(s) that are not "
                         f"in the data dir, first '{unknown[0]}' (stale split?)")
    kept = data.subset(set(feats))
    kept.tables["feats.scp"] = feats
    if frames:
        kept.tables["utt2num_frames"] = frames
    kept.save(data_dir, copy_from=data_dir)
    if bad:
        append_bad_utts(data_dir, sorted(bad.items()))
    write_table(data_dir / "feats.scp", feats)
    if notes:
        write_lines(data_dir / NOTES, sorted(notes))
    else:
        (data_dir / NOTES).unlink(missing_ok=True)
    return len(feats), len(bad)
