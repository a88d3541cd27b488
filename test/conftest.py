"""Shared fixtures: tiny data directories, wav files and synthetic corpora."""
import os
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

REPO = Path(__file__).resolve().parents[1]
UTILS = REPO / "utils"


def write_wav(path, seconds=0.5, sr=16000, channels=1, seed=0):
    """A tone plus noise, PCM 16 bit."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n = int(seconds * sr)
    t = np.arange(n) / sr
    x = 0.3 * np.sin(2 * np.pi * (150 + 50 * seed) * t) + 0.01 * rng.standard_normal(n)
    if channels > 1:
        x = np.stack([x] * channels, axis=1)
    sf.write(path, x, sr, subtype="PCM_16")
    return path


def write_table(path, rows):
    """Write raw lines (no sorting) so tests can create broken tables."""
    Path(path).write_text("".join(f"{k} {v}\n" for k, v in rows), encoding="utf-8")


def make_data_dir(root, n_spk=2, n_utt=3, with_labels=True, seconds=0.5):
    """A valid data dir with real wav files; returns its path."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    utt2spk, wav, gender, lang, emo, arousal = [], [], [], [], [], []
    for s in range(n_spk):
        spk = f"spk{s + 1}"
        for u in range(n_utt):
            utt = f"{spk}-utt{u + 1}"
            path = write_wav(root / "wav" / f"{utt}.wav", seconds, seed=s * 10 + u)
            utt2spk.append((utt, spk))
            wav.append((utt, str(path)))
            gender.append((utt, "f" if s % 2 == 0 else "m"))
            lang.append((utt, "en"))
            emo.append((utt, ["neu", "hap", "ang", "sad"][u % 4]))
            arousal.append((utt, f"{1 + (s + u) % 5}"))
    write_table(root / "utt2spk", utt2spk)
    write_table(root / "wav.scp", wav)
    spk2utt = {}
    for utt, spk in utt2spk:
        spk2utt.setdefault(spk, []).append(utt)
    write_table(root / "spk2utt", [(s, " ".join(u)) for s, u in spk2utt.items()])
    if with_labels:
        write_table(root / "utt2gender", gender)
        write_table(root / "utt2lang", lang)
        write_table(root / "utt2emo", emo)
        write_table(root / "utt2arousal", arousal)
        (root / "attributes.yaml").write_text(
            "corpus: toy\nlanguage: en\nattributes:\n  arousal: {scale: [1, 5]}\n")
    return root


@pytest.fixture
def data_dir(tmp_path):
    return make_data_dir(tmp_path / "data")


def run_env():
    """Environment for subprocesses: the venv's python first on PATH."""
    env = os.environ.copy()
    env["PATH"] = f"{Path(sys.executable).parent}:{UTILS}:{env['PATH']}"
    env["LC_ALL"] = "C"
    return env


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory):
    """A tiny synthetic English corpus on disk: 2 utts x 10 speakers + pool."""
    from serda.simulate.corpus import write_corpus
    from serda.simulate.presets import get_preset

    spec = get_preset("mini_en", utts_per_speaker=2, unlab_per_speaker=2)
    root = tmp_path_factory.mktemp("corpus") / "mini_en"
    write_corpus(spec, root, nj=1)
    return root, spec
