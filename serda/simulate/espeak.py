"""Text to speech with libespeak-ng (shipped by espeakng-loader).

:func:`synthesizer` returns this process' :class:`Synthesizer`, a client of
a :mod:`serda.simulate.espeak_zygote` process, which is what makes the
output deterministic (its docstring says why).
"""
import json
import os
import struct
import subprocess
import sys

import numpy as np

_instance = None


class EspeakError(RuntimeError):
    pass


class Synthesizer:
    """Speak text to int16 samples at :attr:`sample_rate` (22,050 Hz)."""

    def __init__(self):
        self.owner = os.getpid()
        self._proc = subprocess.Popen([sys.executable, "-m", "serda.simulate.espeak_zygote"],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.sample_rate = int(self._read_reply())

    def _read_reply(self):
        head = self._proc.stdout.read(5)
        if len(head) < 5:
            raise EspeakError("the espeak-ng process ended unexpectedly")
        status, n = struct.unpack("<BI", head)
        payload = self._proc.stdout.read(n)
        if status != 0:
            raise EspeakError(payload.decode(errors="replace"))
        return payload

    def speak(self, text, voice, rate=175, pitch=50, pitch_range=50, volume=100, seed=0):
        """Samples (int16, mono) of ``text`` in ``voice`` (e.g. ``"en+f3"``).

        Prosody values are clipped to espeak-ng's ranges: rate 80-450 words
        per minute, pitch and range 0-100, volume 0-200. ``seed`` fixes the
        breath noise; equal arguments give equal samples.
        """
        req = json.dumps({"text": text, "voice": voice, "rate": float(rate),
                          "pitch": float(pitch), "range": float(pitch_range),
                          "volume": float(volume), "seed": int(seed)}).encode()
        self._proc.stdin.write(struct.pack("<I", len(req)) + req)
        self._proc.stdin.flush()
        return np.frombuffer(self._read_reply(), dtype="<i2").copy()

    def close(self):
        if self._proc.poll() is None:
            self._proc.stdin.close()
            self._proc.wait()


def synthesizer():
    """This process' synthesiser, started on first use.

    A process forked from one that has a synthesiser (a worker pool) starts
    its own: sharing the parent's pipes would mix the two streams.
    """
    global _instance
    if _instance is None or _instance.owner != os.getpid():
        _instance = Synthesizer()
    return _instance
