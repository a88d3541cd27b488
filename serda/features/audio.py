"""Read the audio of one wav.scp entry as mono float32 at the target rate.

An entry is a file path or a shell command ending in ``|`` whose output is
a wav file (Kaldi's convention). Multi-channel audio is averaged to mono;
other sample rates are converted with soxr (VHQ). Channels that cancel when
averaged (a stereo file with one channel phase-inverted: the mean is more
than CANCEL_DB below the loudest channel) are not averaged: the loudest
channel is used, with a note. Anything that cannot give
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
CANCEL_DB = 30.0      # a channel mean this far below the loudest channel: they cancel


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


def decoder_notes(path):
    """What libsndfile noticed while opening ``path`` and read anyway: a data
    chunk shorter than its header says (a file cut short by a copy or an
    upload), ``***`` warnings. [] for a clean file or a command."""
    import re
    try:
        log = sf.info(str(path)).extra_info
    except Exception:  # unreadable files are reported by whoever reads them
        return []
    notes = []
    for line in log.splitlines():
        m = re.match(r"\s*data\s*:\s*(\d+)\s*\(should be (\d+)\)", line)
        if m and int(m.group(2)) < int(m.group(1)):
            notes.append(f"data chunk cut short: the header declares {m.group(1)} bytes, the "
                         f"file holds {m.group(2)} (only those are used)")
        elif line.strip().startswith("***"):
            notes.append(f"libsndfile: {line.strip().lstrip('* ')}")
    return notes


def downmix(x, notes=None):
    """Mono of (n, channels) ``x``: the channel mean, or the loudest channel
    when the mean is CANCEL_DB quieter than it (opposite-phase channels)."""
    if x.shape[1] == 1:
        return x[:, 0]
    mono = x.mean(axis=1)
    levels = [rms_dbfs(x[:, c]) for c in range(x.shape[1])]
    loudest = int(np.argmax(levels))
    if levels[loudest] >= SILENCE_DBFS and rms_dbfs(mono) < levels[loudest] - CANCEL_DB:
        if notes is not None:
            notes.append(f"channels cancel when averaged (opposite phase: mean "
                         f"{rms_dbfs(mono):.1f} dBFS, channel {loudest + 1} "
                         f"{levels[loudest]:.1f} dBFS): channel {loudest + 1} used")
        return x[:, loudest]
    return mono


def read_audio(entry, target_rate=16000, segment=None, notes=None):
    """Samples of ``entry`` (float32, shape (n,)) at ``target_rate``.

    ``segment``: optional (start, end) in seconds cut before resampling.
    ``notes``: a list that gets a line for what was read with a remark
    (a short data chunk, cancelling channels).
    """
    x, sr = _decode(entry)
    if segment is not None:
        start, end = segment
        n0, n1 = int(round(start * sr)), int(round(end * sr))
        if n0 >= x.shape[0]:
            raise AudioError(f"segment {start:g}-{end:g} s starts after the end of the "
                             f"audio ({x.shape[0] / sr:.3f} s)")
        x = x[n0:n1]
    if notes is not None and not entry.endswith("|"):
        notes.extend(decoder_notes(entry))
    x = downmix(x, notes)
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
