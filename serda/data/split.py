"""Split a data directory into N parts for parallel jobs (Kaldi split_data.sh).

Parts are contiguous runs of the sorted speaker (or utterance) list, sized
as evenly as the groups allow, written to ``<dir>/split<N>[utt]/<k>/`` with
k = 1..N, so a job array indexes them with its JOB number.
"""
from pathlib import Path

from serda.data.datadir import DataDir
from serda.errors import InputError


def partition(sizes, n):
    """Cut a sequence of group sizes into ``n`` contiguous, balanced runs.

    Returns a list of ``n`` (start, stop) index ranges into ``sizes``; each
    run is non-empty. Run k ends at the first group whose cumulative size
    reaches k/n of the total.
    """
    if n < 1:
        raise ValueError("number of parts must be >= 1")
    if n > len(sizes):
        raise ValueError(f"cannot split {len(sizes)} groups into {n} parts")
    total = sum(sizes)
    bounds, start, acc = [], 0, 0
    for k in range(1, n + 1):
        stop, acc_k = start, acc
        remaining_parts = n - k
        while stop < len(sizes) - remaining_parts:
            acc_k += sizes[stop]
            stop += 1
            if acc_k * n >= k * total:
                break
        bounds.append((start, stop))
        start, acc = stop, acc_k
    bounds[-1] = (bounds[-1][0], len(sizes))
    return bounds


def split_data_dir(path, n, per_utt=False):
    """Write the N parts of ``path``; return their directories (1..N).

    Parts are regenerated only when missing or older than ``utt2spk``.
    By speaker (default) no speaker is spread over two parts.
    """
    path = Path(path)
    out = path / f"split{n}{'utt' if per_utt else ''}"
    parts = [out / str(k) for k in range(1, n + 1)]
    src_time = (path / "utt2spk").stat().st_mtime
    if all((p / "utt2spk").is_file() and (p / "utt2spk").stat().st_mtime >= src_time
           for p in parts):
        return parts
    data = DataDir.load(path)
    if per_utt:
        groups = [[u] for u in data.utts]
    else:
        groups = list(data.spk2utt().values())
    try:
        bounds = partition([len(g) for g in groups], n)
    except ValueError as err:
        unit = "utterances" if per_utt else "speakers (use per-utterance splitting)"
        raise InputError(path, f"{err}: it has {len(groups)} {unit}") from None
    for part, (start, stop) in zip(parts, bounds):
        utts = [u for g in groups[start:stop] for u in g]
        data.subset(utts).save(part, copy_from=path)
    return parts
