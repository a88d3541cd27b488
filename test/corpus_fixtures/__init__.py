"""Tiny copies of the real corpora's on-disk layouts, with their quirks.

Each module ``<corpus>.py`` has ``build(root, variant=0) -> Truth``: it
writes a few utterances in the corpus' real layout (real file-name
patterns, real label-file formats, the quirks listed in its docstring)
with short synthesised audio, and returns what data preparation must
find. ``VARIANTS`` says how many layout variants it can build.
"""
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

NAMES = ("iemocap", "msp_improv", "msp_podcast", "emodb", "aibo", "savee", "recola",
         "ravdess", "cremad", "tess", "emovo")


@dataclass
class Truth:
    """Ground truth of a fixture.

    counts: split -> utterances; speakers: split -> speaker ids;
    genders: speaker -> m/f; emo: utt -> normalised category; native:
    utt -> corpus code; dims: utt -> {dimension: value}; skipped: substrings
    (id or path, reason) each of which one line of the skip report must
    contain; extra: table -> {utt: value} for further tables.
    """
    counts: dict
    speakers: dict
    genders: dict = field(default_factory=dict)
    emo: dict = field(default_factory=dict)
    native: dict = field(default_factory=dict)
    dims: dict = field(default_factory=dict)
    skipped: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)


def tone(path, seconds=0.3, sr=16000, channels=1, freq=180.0):
    """Write a short synthesised voiced-like signal (harmonics + noise)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = int(seconds * sr)
    t = np.arange(n) / sr
    rng = np.random.default_rng(int(freq))
    x = sum(0.2 / k * np.sin(2 * np.pi * k * freq * t) for k in range(1, 6))
    x = x + 0.005 * rng.standard_normal(n)
    if channels > 1:
        x = np.stack([x] * channels, axis=1)
    sf.write(str(path), x, sr, subtype="PCM_16")
    return path


def text(path, content):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def apple_double(path):
    """A macOS AppleDouble companion file (binary header, not audio)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b"\x00" * 64)
    return path


def group(utt2x):
    """{value: set of keys} of a {key: value} table."""
    out = {}
    for k, v in utt2x.items():
        out.setdefault(v, set()).add(k)
    return out
