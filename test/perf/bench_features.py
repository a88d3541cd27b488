"""Stage 2 (IS13 ComParE, utils/make_feats.sh) vs openSMILE's own time.

Writes N synthetic voiced utterances (2-4 s, 16 kHz, a glottal-like pulse
train through two formant resonators plus noise) as a Kaldi data dir, then
measures in one run:

- openSMILE's own processing time: ``opensmile.Smile.process_file`` on
  every file in this process (the Smile object built once, outside the
  timing), summed: T_smile;
- stage 2's wall time, ``utils/make_feats.sh --nj J --feat is13`` (every
  process start, the data-dir checks, the jobs, the merge and validation)
  for J = 1 and J = 2: T_1, T_2.

Prints T_J / (T_smile / J) (goal: <= 1.1) and T_1 / T_2 (goal: >= 1.8 on
2 cores).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import lfilter

REPO = Path(__file__).resolve().parents[2]


def voiced(rng, seconds, sr=16000):
    n = int(seconds * sr)
    f0 = rng.uniform(90, 250) * (1 + 0.1 * np.sin(np.linspace(0, rng.uniform(2, 8), n)))
    phase = np.cumsum(f0 / sr)
    source = (np.diff(np.floor(phase), prepend=0) > 0).astype(np.float64)
    out = source + 0.02 * rng.standard_normal(n)
    for formant, bw in ((rng.uniform(400, 800), 80), (rng.uniform(1000, 2200), 120)):
        r = np.exp(-np.pi * bw / sr)
        a1, a2 = -2 * r * np.cos(2 * np.pi * formant / sr), r * r
        out = lfilter([1.0], [1.0, a1, a2], out)      # two-pole resonator
    return (0.3 * out / np.abs(out).max()).astype(np.float32)


def write_data_dir(root, n, seed=0):
    rng = np.random.default_rng(seed)
    wavs, data = root / "wav", root / "data"
    wavs.mkdir()
    data.mkdir()
    lines = []
    for i in range(n):
        utt = f"spk{i % 8}_utt{i:04d}"
        path = wavs / f"{utt}.wav"
        sf.write(path, voiced(rng, rng.uniform(2, 4)), 16000)
        lines.append((utt, path))
    lines.sort()
    (data / "wav.scp").write_text("".join(f"{u} {p}\n" for u, p in lines))
    (data / "utt2spk").write_text("".join(f"{u} {u.split('_')[0]}\n" for u, _ in lines))
    spk = {}
    for u, _ in lines:
        spk.setdefault(u.split("_")[0], []).append(u)
    (data / "spk2utt").write_text("".join(f"{s} {' '.join(us)}\n" for s, us in sorted(spk.items())))
    return data, [p for _, p in lines]


def smile_time(paths):
    from serda.features.functionals import Functionals
    smile = Functionals("is13").smile       # stage 2's own Smile object and config
    smile.process_file(str(paths[0]))      # warm-up
    total = 0.0
    for p in paths:
        start = time.perf_counter()
        smile.process_file(str(p))
        total += time.perf_counter() - start
    return total


def stage2_time(src, dest, nj):
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    start = time.perf_counter()
    subprocess.run(["utils/make_feats.sh", "--nj", str(nj), "--cmd", "utils/run.py",
                    "--feat", "is13", str(src), str(dest)], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--utts", type=int, default=600)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src, paths = write_data_dir(root, args.utts)
        t_smile = smile_time(paths)
        t = {nj: stage2_time(src, root / f"feats_nj{nj}", nj) for nj in (1, 2)}
        n = len((root / "feats_nj1" / "feats.scp").read_text().splitlines())
    print(f"{args.utts} utterances of 2-4 s, IS13 ComParE; {n} extracted")
    print(f"  openSMILE's own processing, summed: {t_smile:7.2f} s")
    for nj, tj in t.items():
        print(f"  stage 2 (make_feats.sh) nj={nj}:     {tj:7.2f} s   ratio to openSMILE / nj: "
              f"{tj / (t_smile / nj):.2f}")
    print(f"  speed-up nj=2 over nj=1: {t[1] / t[2]:.2f}")


if __name__ == "__main__":
    main()
