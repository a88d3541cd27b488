"""Stage 2, one shard: features of every utterance of a data dir into one ark.

python -m serda.bin.extract_features --feat is13 [--feat-opt key=value ...]
        <data-dir> <out-prefix>

Writes <out-prefix>.ark, <out-prefix>.scp (the shard's commit mark, renamed
into place last), <out-prefix>.bad (utterances left out, with the reason)
and, for frame features, <out-prefix>.num_frames. A shard whose .scp exists
is complete and skipped.
"""
import argparse
import os
import sys
from pathlib import Path

import kaldiio
import numpy as np
from tqdm import tqdm

from serda.cli import run_cli
from serda.data.datadir import DataDir
from serda.data.table import write_lines
from serda.features.audio import AudioError, read_audio
from serda.features.extractors import feature_names, make_extractor, parse_feat_opts


def segment_of(data, utt):
    """(wav.scp entry, (start, end) or None) of ``utt``."""
    if data.has("segments"):
        rec, start, end = data.tables["segments"][utt].split()
        return data.tables["wav.scp"][rec], (float(start), float(end))
    return data.tables["wav.scp"][utt], None


def extract_shard(data_dir, prefix, extractor, sample_rate=16000):
    """Extract every utterance of ``data_dir``; return (n_written, n_bad)."""
    data = DataDir.load(data_dir)
    prefix = Path(prefix)
    scp = Path(f"{prefix}.scp")
    if scp.is_file():
        print(f"extract_features: {scp} exists, shard already complete")
        return None
    prefix.parent.mkdir(parents=True, exist_ok=True)
    ark = Path(f"{prefix}.ark")
    tmp_scp = Path(f"{prefix}.scp.tmp")
    bad, frames, n_ok = [], [], 0
    with kaldiio.WriteHelper(f"ark,scp:{ark},{tmp_scp}") as writer:
        for utt in tqdm(data.utts, desc=str(data_dir), unit="utt", mininterval=5.0,
                        file=sys.stdout):
            entry, segment = segment_of(data, utt)
            try:
                x = read_audio(entry, sample_rate, segment)
            except AudioError as err:
                bad.append(f"{utt} extract_features: {err}")
                continue
            feats = extractor.compute(x, sample_rate)
            if feats.size == 0:
                bad.append(f"{utt} extract_features: no {extractor.name} frames "
                           f"({x.size / sample_rate:.3f} s of audio)")
                continue
            if not np.all(np.isfinite(feats)):
                n = int(np.size(feats) - np.isfinite(feats).sum())
                bad.append(f"{utt} extract_features: {n} NaN/Inf value(s) in {extractor.name}")
                continue
            writer(utt, feats)
            if extractor.frame_level:
                frames.append(f"{utt} {feats.shape[0]}")
            n_ok += 1
    write_lines(Path(f"{prefix}.bad"), bad)
    if extractor.frame_level:
        write_lines(Path(f"{prefix}.num_frames"), frames)
    os.replace(tmp_scp, scp)
    print(f"extract_features: {data_dir}: {n_ok} written, {len(bad)} left out")
    for line in bad:
        print(f"  {line}")
    return n_ok, len(bad)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--feat", required=True, choices=feature_names())
    p.add_argument("--feat-opt", action="append", default=[], help="key=value, repeatable")
    p.add_argument("--sample-rate", type=int, default=16000)
    p.add_argument("data_dir")
    p.add_argument("out_prefix")
    args = p.parse_args(argv)
    extractor = make_extractor(args.feat, **parse_feat_opts(args.feat_opt))
    extract_shard(args.data_dir, args.out_prefix, extractor, args.sample_rate)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
