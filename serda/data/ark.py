"""Read the features a feats.scp points to, each ark file opened once.

kaldiio.load_mat opens, seeks and parses one utterance at a time; for
20,000 IS13 vectors (6,373 dims) that is 20,000 opens and small reads.
Two paths here, both grouping the scp's entries by ark file:

- :func:`load_vector_matrix` (utterance-level vectors of one dim): every
  record's data is read with libc's preadv straight into its row of the
  (n, d) matrix, the bytes between records (keys, headers) into a scratch
  buffer whose headers are then checked against the first one; one copy,
  as np.load makes. The iovec arrays are built by numpy (no Python object
  per record) and the calls (512 records each) run in up to four threads,
  so the copy out of the page cache uses every core;
- :func:`load_entries` (anything else: frame matrices, mixed arks): each
  ark mapped once (mmap, pages faulted in at once), each Kaldi binary
  header (``\\0B`` then ``FV``/``DV`` + dim, or ``FM``/``DM`` + rows +
  cols) parsed at its offset, the arrays returned read-only views into the
  mapping (callers stack or concatenate them into their own matrices).

An entry in any other form (a pipe, a slice ``[..]``, compressed ``CM`` or
text matrices) is read by kaldiio.load_mat. test/perf/bench_feature_loading.py
compares both paths with np.load.
"""
import ctypes
import mmap
import os
import struct
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import kaldiio
import numpy as np

_TYPES = {b"FV ": (np.dtype("<f4"), 1), b"DV ": (np.dtype("<f8"), 1),
          b"FM ": (np.dtype("<f4"), 2), b"DM ": (np.dtype("<f8"), 2)}
_HEAD = struct.Struct("<2s3sBi")      # "\0B", type, 4 (size of int32), first dim
_DIM = struct.Struct("<Bi")


class ArkFormatError(ValueError):
    """An ark record that is not what its scp entry says."""


def split_entry(entry):
    """(ark path, byte offset) of an scp entry ``path:offset``; None for any
    other form (a pipe, a slice)."""
    path, _, offset = entry.rpartition(":")
    return (path, int(offset)) if path and offset.isdigit() else None


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
    parsed = [split_entry(e) for e in entries]
    buffers = {}
    for where in parsed:
        if where and where[0] not in buffers and Path(where[0]).is_file():
            buffers[where[0]] = _map_file(where[0])
    out = []
    for entry, where in zip(entries, parsed):
        array = None
        if where and where[0] in buffers:
            buf, offset = buffers[where[0]], where[1]
            if offset >= buf.size:
                raise ArkFormatError(f"{entry}: offset past the end of the ark ({buf.size} bytes)")
            array = _record(buf, offset)
        out.append(array if array is not None else np.asarray(kaldiio.load_mat(entry)))
    return out


IOV_MAX = 1024          # buffers per preadv call (Linux's limit)


def _libc_preadv():
    """libc's preadv(fd, iovec *, count, offset) through ctypes (the iovec
    array built by numpy, no Python object per buffer), or None."""
    if ctypes.sizeof(ctypes.c_void_p) != 8 or ctypes.sizeof(ctypes.c_size_t) != 8:
        return None                       # the iovec arrays below are two 64-bit words
    try:
        fn = ctypes.CDLL(None, use_errno=True).preadv
    except (OSError, AttributeError):
        return None
    fn.argtypes = (ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_int64)
    fn.restype = ctypes.c_ssize_t
    return fn


_preadv = _libc_preadv()
# the cores this process may use (a cluster job's allocation, not the node's), at most 4
READ_THREADS = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                   else os.cpu_count() or 1)


def _scatter_read(path, offsets, rows, out, head_size):
    """Read the records of one ark straight into rows of ``out``: the
    bytes between two records' data (the next key and header) go to a
    scratch array; one preadv per IOV_MAX buffers, READ_THREADS of them at
    a time. ``offsets`` (R,) int64 sorted, ``rows`` (R,) their rows of
    ``out``. Returns the scratch bytes and, per record, where its header
    ends in them; None when the layout does not allow it."""
    row_bytes = out.shape[1] * out.itemsize
    starts = offsets + head_size                      # data of each record
    gap_from = np.concatenate([offsets[:1], starts[:-1] + row_bytes])
    gaps = starts - gap_from
    if (gaps < head_size).any():                      # overlapping or repeated entries
        return None
    scratch = np.empty(int(gaps.sum()), dtype=np.uint8)
    head_ends = np.cumsum(gaps)
    # struct iovec {void *base; size_t len;}: header bytes to the scratch, data to its row
    iov = np.empty((len(rows), 2, 2), dtype=np.uint64)
    iov[:, 0, 0] = scratch.ctypes.data + (head_ends - gaps)
    iov[:, 0, 1] = gaps
    iov[:, 1, 0] = out.ctypes.data + rows * row_bytes
    iov[:, 1, 1] = row_bytes
    per_call = IOV_MAX // 2                           # records per preadv
    ends = np.append(gap_from[per_call::per_call], starts[-1] + row_bytes)
    calls = [(iov.ctypes.data + i * iov[0].nbytes, min(per_call, len(rows) - i) * 2, at,
              end - at)
             for i, at, end in zip(range(0, len(rows), per_call),
                                   gap_from[::per_call].tolist(), ends.tolist())]
    fd = os.open(path, os.O_RDONLY)
    try:
        with ThreadPoolExecutor(READ_THREADS) as pool:   # ctypes calls release the GIL
            done = list(pool.map(lambda c: _preadv(fd, c[0], c[1], c[2]) == c[3], calls))
    finally:
        os.close(fd)
    if not all(done):          # a regular file reads fully but at its end
        return None
    return scratch, head_ends


def load_vector_matrix(entries):
    """(n, d) array of the utterance-level vectors of scp ``entries``, read
    straight from the arks into the matrix (one copy, as np.load), or None
    when the entries are not all ``path:offset`` binary vectors of one dim
    and precision (callers then use :func:`load_entries`)."""
    if _preadv is None:                    # no preadv in libc: the general path
        return None
    parsed = [split_entry(e) for e in entries]
    if not parsed or not all(parsed):
        return None
    offsets = np.array([offset for _, offset in parsed], dtype=np.int64)
    by_ark = {}
    for row, (path, _) in enumerate(parsed):
        by_ark.setdefault(path, []).append(row)
    try:
        with open(parsed[0][0], "rb") as f:
            f.seek(parsed[0][1])
            head = f.read(10)
    except OSError:
        return None
    if len(head) < 10:
        return None
    binary, kind, marker, dim = _HEAD.unpack(head)
    if binary != b"\0B" or marker != 4 or dim < 0 or _TYPES.get(kind, (None, 0))[1] != 1:
        return None
    dtype = _TYPES[kind][0]
    out = np.empty((len(entries), dim), dtype=dtype)
    expected = np.frombuffer(head, dtype=np.uint8)
    for path, rows in by_ark.items():
        rows = np.array(rows, dtype=np.int64)
        rows = rows[np.argsort(offsets[rows], kind="stable")]
        try:
            got = _scatter_read(path, offsets[rows], rows, out, 10)
        except OSError:
            return None
        if got is None:
            return None
        scratch, head_ends = got
        heads = scratch[head_ends[:, None] - 10 + np.arange(10)]
        if not (heads == expected).all():             # another type or dim somewhere
            return None
    return out
