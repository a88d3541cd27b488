"""Gather the shards of a feature extraction into the data directory.

After the N extraction jobs, ``feats.scp`` (and ``utt2num_frames``) are the
concatenation of the shards, utterances left out go to ``bad_utts``, and
every table of the data dir is restricted to the utterances with features.
Every input utterance ends up in exactly one of feats.scp or bad_utts; the
merge fails otherwise, naming the utterances.
"""
from pathlib import Path

from serda.data.datadir import DataDir, append_bad_utts
from serda.data.table import read_table, write_table
from serda.errors import InputError


def _read_optional(path):
    return read_table(path) if path.is_file() and path.stat().st_size else {}


def merge_feature_shards(data_dir, prefixes):
    """Merge shards ``prefixes`` (paths without suffix) into ``data_dir``.

    Returns (n_with_features, n_bad).
    """
    data_dir = Path(data_dir)
    data = DataDir.load(data_dir)
    feats, frames, bad = {}, {}, {}
    for prefix in map(Path, prefixes):
        scp = Path(f"{prefix}.scp")
        if not scp.is_file():
            raise InputError(scp, "missing: this extraction job did not finish (see its log)")
        feats.update(read_table(scp))
        frames.update(_read_optional(Path(f"{prefix}.num_frames")))
        bad.update(_read_optional(Path(f"{prefix}.bad")))
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
    return len(feats), len(bad)
