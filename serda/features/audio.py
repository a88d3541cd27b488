"""Read the audio of one wav.scp entry as mono float32 at the target rate.

An entry is a file path or a shell command ending in ``|`` whose output is
a wav file (Kaldi's convention). Multi-channel audio is averaged to mono;
other sample rates are converted with soxr (VHQ). Anything that cannot give
usable audio raises :class:`AudioError` with the reason, which stage 2
writes to ``bad_utts``: a missing or unreadable file, no samples, NaN or
Inf samples, less than MIN_DURATION seconds, or silence: an RMS level below
SILENCE_DBFS decibels relative to full scale (all-zero audio included; real
speech recordings sit around -20 to -45 dBFS, a 16-bit file's quantisation
floor near -100).
"""
import io
import os
import subprocess

import numpy as np
import soundfile as sf
import soxr

MIN_DURATION = 0.1  # seconds
SILENCE_DBFS = -70.0  # RMS level under which an utterance counts as silent


class AudioError(Exception):
    """This entry yields no usable audio; the message says why."""


def _decode(entry):
    if entry.endswith("|"):
        cmd = entry[:-1]
        proc = subprocess.run(["bash", "-c", cmd], capture_output=True)
        if proc.returncode != 0:
            err = proc.stderr.decode(errors="replace").strip().splitlines()
            raise AudioError(f"command '{cmd}' failed (code {proc.returncode})"
                             + (f": {err[-1]}" if err else ""))
        source = io.BytesIO(proc.stdout)
    else:
        if not os.path.isfile(entry):
            raise AudioError(f"file not found: {entry}")
        source = entry
    try:
        x, sr = sf.read(source, dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, ValueError) as err:
        raise AudioError(f"unreadable audio ({err})") from None
    return x, sr


def rms_dbfs(x):
    """RMS level of ``x`` in dB relative to full scale (-inf for all zeros)."""
    rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))
    return 20.0 * np.log10(rms) if rms > 0 else float("-inf")


def read_audio(entry, target_rate=16000, segment=None):
    """Samples of ``entry`` (float32, shape (n,)) at ``target_rate``.

    ``segment``: optional (start, end) in seconds cut before resampling.
    """
    x, sr = _decode(entry)
    if segment is not None:
        start, end = segment
        n0, n1 = int(round(start * sr)), int(round(end * sr))
        if n0 >= x.shape[0]:
            raise AudioError(f"segment {start:g}-{end:g} s starts after the end of the "
                             f"audio ({x.shape[0] / sr:.3f} s)")
        x = x[n0:n1]
    x = x.mean(axis=1) if x.shape[1] > 1 else x[:, 0]
    if x.size == 0:
        raise AudioError("empty audio (0 samples)")
    if not np.all(np.isfinite(x)):
        raise AudioError("audio holds NaN or Inf samples")
    if x.size / sr < MIN_DURATION:
        raise AudioError(f"too short: {x.size / sr:.3f} s < {MIN_DURATION} s")
    level = rms_dbfs(x)
    if level < SILENCE_DBFS:
        raise AudioError(f"silent: RMS {level:.1f} dBFS < {SILENCE_DBFS:g} dBFS")
    if sr != target_rate:
        x = soxr.resample(x, sr, target_rate, quality="VHQ").astype(np.float32)
    return np.ascontiguousarray(x, dtype=np.float32)
