"""Read the features a feats.scp points to: each ark file read once.

kaldiio.load_mat opens, seeks and parses one utterance at a time; for
20,000 IS13 vectors (6,373 dims) that is 20,000 opens and small reads. Here
the entries of an scp are grouped by ark file, each file is mapped into
memory once (mmap, pages faulted in at once), and each utterance's Kaldi
binary header (``\\0B`` then ``FV``/``DV`` + dim, or ``FM``/``DM`` + rows +
cols) is parsed at its offset; the arrays returned are read-only views
into the mapping (callers stack or concatenate them into their own
matrices) (test/perf/bench_feature_loading.py compares it
with np.load). An entry in any other form (a pipe, a slice ``[..]``,
compressed ``CM`` or text matrices) is read by kaldiio.load_mat.
"""
import mmap
import os
import re
import struct
from pathlib import Path

import kaldiio
import numpy as np

_ENTRY = re.compile(r"^(?P<path>.+):(?P<offset>\d+)$")
_TYPES = {b"FV ": (np.dtype("<f4"), 1), b"DV ": (np.dtype("<f8"), 1),
          b"FM ": (np.dtype("<f4"), 2), b"DM ": (np.dtype("<f8"), 2)}
_HEAD = struct.Struct("<2s3sBi")      # "\0B", type, 4 (size of int32), first dim
_DIM = struct.Struct("<Bi")


class ArkFormatError(ValueError):
    """An ark record that is not what its scp entry says."""


def _map_file(path):
    """The bytes of ``path`` as a read-only uint8 array over an mmap whose
    pages are faulted in at once (MAP_POPULATE where the OS has it)."""
    flags = mmap.MAP_PRIVATE | getattr(mmap, "MAP_POPULATE", 0)
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            return np.empty(0, dtype=np.uint8)
        return np.frombuffer(mmap.mmap(f.fileno(), size, flags=flags, prot=mmap.PROT_READ),
                             dtype=np.uint8)


def _record(buf, offset):
    """The array of the binary record at ``offset`` of ``buf`` (a view), or
    None when the record is of a kind this reader leaves to kaldiio."""
    if offset + 10 > buf.size:
        return None
    binary, kind, marker, first = _HEAD.unpack_from(buf, offset)
    kind = _TYPES.get(kind) if binary == b"\0B" else None
    if kind is None:
        return None
    dtype, rank = kind
    shape, pos = (first,), offset + 10
    if rank == 2:
        if pos + 5 > buf.size:
            raise ArkFormatError(f"matrix header at byte {offset} runs past the end")
        marker2, second = _DIM.unpack_from(buf, pos)
        shape, pos, marker = (first, second), pos + 5, marker if marker2 == 4 else marker2
    if marker != 4:
        raise ArkFormatError(f"bad dimension marker in the record at byte {offset}")
    count = shape[0] * (shape[1] if rank == 2 else 1)
    if min(shape) < 0 or pos + count * dtype.itemsize > buf.size:
        raise ArkFormatError(f"record of shape {shape} at byte {offset} runs past the end "
                             f"({buf.size} bytes)")
    return np.frombuffer(buf, dtype=dtype, count=count, offset=pos).reshape(shape)


def load_entries(entries):
    """The arrays of scp ``entries`` (``path:offset`` or anything
    kaldiio.load_mat reads), in order. Errors: ValueError / OSError naming
    the entry (the caller adds the scp and the utterance)."""
    parsed = [_ENTRY.match(e) for e in entries]
    buffers = {}
    for m in parsed:
        if m and m["path"] not in buffers and Path(m["path"]).is_file():
            buffers[m["path"]] = _map_file(m["path"])
    out = []
    for entry, m in zip(entries, parsed):
        array = None
        if m and m["path"] in buffers:
            buf, offset = buffers[m["path"]], int(m["offset"])
            if offset >= buf.size:
                raise ArkFormatError(f"{entry}: offset past the end of the ark ({buf.size} bytes)")
            array = _record(buf, offset)
        out.append(array if array is not None else np.asarray(kaldiio.load_mat(entry)))
    return out
