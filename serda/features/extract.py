"""Stage 2, one shard: features of every utterance of a data dir into one ark.

Writes <prefix>.ark, <prefix>.scp (the shard's commit mark, renamed into
place last), <prefix>.bad (utterances left out, with the reason: unusable
audio, see serda.features.audio, no frames, non-finite features) and, for
frame features, <prefix>.num_frames; <prefix>.notes lists utterances used
with a remark (a data chunk cut short, channels that cancel). A shard whose
.scp exists is complete and skipped. A write that fails (a full disk) removes the shard's files and
raises serda.atomic.DiskError naming the ark.
"""
import os
import sys
from pathlib import Path

import kaldiio
import numpy as np
from tqdm import tqdm

from serda.atomic import disk_error
from serda.data.datadir import DataDir
from serda.data.table import write_lines
from serda.features.audio import AudioError, read_audio


def segment_of(data, utt):
    """(wav.scp entry, (start, end) or None) of ``utt``."""
    if data.has("segments"):
        rec, start, end = data.tables["segments"][utt].split()
        return data.tables["wav.scp"][rec], (float(start), float(end))
    return data.tables["wav.scp"][utt], None


def features_of(data, data_dir, extractor, rate, bad):
    """(utt, audio, features, notes) of every utterance with usable audio, in
    order; unusable audio is appended to ``bad``. An extractor with
    ``compute_many`` (ssl: batched forward passes) gets ``read_ahead``
    utterances at a time, any other one utterance at a time."""
    many = getattr(extractor, "compute_many", None)
    step = getattr(extractor, "read_ahead", 1) if many else 1
    utts = list(data.utts)
    with tqdm(total=len(utts), desc=str(data_dir), unit="utt", mininterval=5.0,
              file=sys.stdout) as progress:
        for first in range(0, len(utts), step):
            group = []
            for utt in utts[first:first + step]:
                entry, segment = segment_of(data, utt)
                said = []
                try:
                    group.append((utt, read_audio(entry, rate, segment, notes=said), said))
                except AudioError as err:
                    bad.append(f"{utt} extract_features: {err}")
            xs = [x for _, x, _ in group]
            feats = many(xs, rate) if many else [extractor.compute(x, rate) for x in xs]
            for (utt, x, said), f in zip(group, feats):
                yield utt, x, f, said
            progress.update(len(utts[first:first + step]))


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
    bad, frames, notes, n_ok = [], [], [], 0
    rate = getattr(extractor, "sample_rate", sample_rate)
    try:
        with kaldiio.WriteHelper(f"ark,scp:{ark},{tmp_scp}") as writer:
            for utt, x, feats, said in features_of(data, data_dir, extractor, rate, bad):
                if feats.size == 0:
                    bad.append(f"{utt} extract_features: no {extractor.name} frames "
                               f"({x.size / rate:.3f} s of audio)")
                    continue
                if not np.all(np.isfinite(feats)):
                    n = int(np.size(feats) - np.isfinite(feats).sum())
                    bad.append(f"{utt} extract_features: {n} NaN/Inf value(s) in "
                               f"{extractor.name}")
                    continue
                writer(utt, feats)
                notes += [f"{utt} {note}" for note in said]
                if extractor.frame_level:
                    frames.append(f"{utt} {feats.shape[0]}")
                n_ok += 1
    except OSError as err:  # a full disk: no half shard is left to be trusted
        ark.unlink(missing_ok=True)
        tmp_scp.unlink(missing_ok=True)
        raise disk_error(ark, err) from None
    write_lines(Path(f"{prefix}.bad"), bad)
    write_lines(Path(f"{prefix}.notes"), notes)
    if extractor.frame_level:
        write_lines(Path(f"{prefix}.num_frames"), frames)
    os.replace(tmp_scp, scp)
    print(f"extract_features: {data_dir}: {n_ok} written, {len(bad)} left out")
    for line in bad:
        print(f"  {line}")
    for line in notes:
        print(f"  note: {line}")
    return n_ok, len(bad)
