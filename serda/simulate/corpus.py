"""Plan, render and write a synthetic emotional corpus.

On disk the corpus looks like a real one::

    <root>/README.txt
    <root>/labels.csv                       header lines '# ...', then CSV
    <root>/wav/<spk>/<spk>_s<NN>_<emo>_<take>.wav      labelled, 16 kHz int16
    <root>/unlabelled/<spk>/<spk>_<NNNN>.wav          the unlabelled pool

``labels.csv`` has one row per labelled file: path, speaker, gender,
split, category, the mean arousal/valence/dominance (1-5) and each rater's
scores, and the sentence. Every random draw derives from ``spec.seed`` and
the utterance index, so the corpus is identical whatever the number of
worker processes.
"""
import csv
import io
import os
from dataclasses import asdict, dataclass
from importlib import resources
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from serda.simulate import channel as ch
from serda.simulate.emotion import CATEGORIES, RaterPanel, draw_latent, render
from serda.simulate.espeak import synthesizer
from serda.simulate.speakers import make_speaker

SAMPLE_RATE = 16000
HEADROOM = 0.5          # global scale keeping loud renderings below clipping
REF_RMS = 0.05          # speech level the channel SNR refers to
LABEL_FILE = "labels.csv"
MAGIC = "# serda synthetic emotional corpus, format 1"
# bumped whenever the same spec would render different audio
GENERATOR_VERSION = 5
COLUMNS = ("file", "speaker", "gender", "split", "emotion", "arousal", "valence",
           "dominance", "arousal_ratings", "valence_ratings", "dominance_ratings", "text")


@dataclass
class PlannedUtt:
    index: int            # position in the corpus plan (seeds its randomness)
    path: str             # relative to the corpus root
    speaker: object       # serda.simulate.speakers.Speaker
    split: str            # train / dev / test / unlab
    text: str
    category: str
    z: np.ndarray         # latent (arousal, valence, dominance), shape (3,)
    ratings: np.ndarray   # (raters, 3) integer scores; None when unlabelled


def sentences(language):
    """The sentence list of ``language`` (comment lines dropped)."""
    text = resources.files("serda.simulate").joinpath(f"sentences/{language}.txt") \
        .read_text(encoding="utf-8")
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]


def plan_corpus(spec):
    """Every utterance of the corpus, in a fixed order (labelled, then pool)."""
    rng = np.random.default_rng([spec.seed, 0])
    texts = sentences(spec.language)
    panel = RaterPanel.create(rng, spec.raters_pool, spec.raters_per_utt,
                              spec.rater_bias, spec.rater_noise)
    speakers = []  # (speaker, split)
    counters = {"f": 0, "m": 0}
    for split, n_f, n_m in spec.split_speakers:
        for gender, n in (("f", n_f), ("m", n_m)):
            for _ in range(n):
                counters[gender] += 1
                spk_id = f"{gender}{counters[gender]:02d}"
                speakers.append((make_speaker(rng, spk_id, gender, spec.language,
                                              counters[gender] - 1, spec.speaker_age), split))
    n_pool = 0
    for gender, n in zip(("f", "m"), spec.unlab_speakers):
        for _ in range(n):
            n_pool += 1
            counters[gender] += 1
            speakers.append((make_speaker(rng, f"x{n_pool:02d}", gender, spec.language,
                                          counters[gender] - 1, spec.speaker_age), "unlab"))
    plan = []
    for speaker, split in speakers:
        unlab = split == "unlab"
        n = spec.unlab_per_speaker if unlab else spec.utts_per_speaker
        cats = rng.choice(len(CATEGORIES), size=n, p=np.asarray(spec.category_weights))
        takes = {}
        for k, c in enumerate(cats):
            category = CATEGORIES[c]
            sent = int(rng.integers(len(texts)))
            takes[(sent, category)] = takes.get((sent, category), 0) + 1
            z = draw_latent(rng, category, spec.latent_spread)
            if unlab:
                path = f"unlabelled/{speaker.id}/{speaker.id}_{k + 1:04d}.wav"
                ratings = None
            else:
                path = (f"wav/{speaker.id}/{speaker.id}_s{sent + 1:02d}_{category}_"
                        f"{takes[(sent, category)]}.wav")
                ratings = panel.rate(rng, z)
            plan.append(PlannedUtt(len(plan), path, speaker, split, texts[sent],
                                   category, z, ratings))
    return plan


def synthesize(utt, spec):
    """Waveform (float32, 16 kHz, mono) of one planned utterance."""
    rng = np.random.default_rng([spec.seed, 1, utt.index])
    r = render(utt.z, spec.expressiveness, utt.speaker, rng, spec.prosody_jitter)
    text = utt.text[:-1] + "!" if r.exclaim and utt.text.endswith(".") else utt.text
    synth = synthesizer()
    x = synth.speak(text, utt.speaker.voice, r.rate, r.pitch, r.pitch_range, r.volume,
                    seed=spec.seed * 100003 + utt.index)
    x = x.astype(np.float64) / 32768.0
    # reading the samples as if recorded at a scaled rate shifts formants
    # and pitch together: a longer or shorter vocal tract
    x = soxr.resample(x, synth.sample_rate * r.tract, SAMPLE_RATE)
    x = ch.spectral_tilt(x, SAMPLE_RATE, r.tilt_db_oct)
    x = ch.breathiness(x, SAMPLE_RATE, r.breath, rng)
    lead, tail = rng.uniform(0.1, 0.35, size=2)
    x = np.concatenate([np.zeros(int(lead * SAMPLE_RATE)), x * utt.speaker.gain,
                        np.zeros(int(tail * SAMPLE_RATE))])
    c = spec.channel
    x = ch.reverberate(x, SAMPLE_RATE, c.rt60, rng)
    x = ch.band_limit(x, SAMPLE_RATE, c.low_hz, c.high_hz)
    if c.agc:
        x = ch.automatic_gain(x, SAMPLE_RATE, REF_RMS / HEADROOM)
    x = ch.add_noise(HEADROOM * x, c.snr_db, rng, c.noise_color, ref_rms=REF_RMS)
    return np.clip(x, -1.0, 32767 / 32768).astype(np.float32)


def _write_one(args):
    utt, spec, root = args
    path = Path(root) / utt.path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.wav")
    sf.write(tmp, synthesize(utt, spec), SAMPLE_RATE, subtype="PCM_16")
    os.replace(tmp, path)
    return utt.index


def label_rows(plan):
    """CSV rows of the labelled utterances, sorted by file."""
    rows = []
    for u in plan:
        if u.ratings is None:
            continue
        means = u.ratings.mean(axis=0)
        rows.append([u.path, u.speaker.id, u.speaker.gender, u.split, u.category,
                     *(f"{m:.4f}" for m in means),
                     *(";".join(str(s) for s in u.ratings[:, k]) for k in range(3)),
                     u.text])
    return sorted(rows)


def header(spec):
    return [
        MAGIC,
        f"# corpus: {spec.name}",
        f"# language: {spec.language}",
        f"# style: {spec.style}",
        f"# scale: arousal, valence, dominance 1 (low) .. 5 (high); each value is the "
        f"mean of {spec.raters_per_utt} raters, whose scores follow in *_ratings",
        "# split: speaker-independent protocol (train / dev / test); the unlabelled "
        "pool is under unlabelled/",
        f"# spec: {spec_fingerprint(spec)}",
    ]


LATER_FIELDS = {"speaker_age": "adult"}  # added after v5: left out at their default


def spec_fingerprint(spec):
    """A stable text form of ``spec`` (written to the label header); fields
    added since a corpus was generated are left out at their default value,
    so its fingerprint stays the same."""
    items = [(k, v) for k, v in sorted(asdict(spec).items())
             if not (k in LATER_FIELDS and v == LATER_FIELDS[k])]
    return f"v{GENERATOR_VERSION} " + repr(items)


def write_corpus(spec, root, nj=1, progress=None):
    """Generate the corpus of ``spec`` under ``root``.

    Skips the work when ``root`` already holds a complete corpus of the same
    spec (its label file is written last, after every wav). Returns the
    number of (labelled, unlabelled) utterances.
    """
    root = Path(root)
    labels = root / LABEL_FILE
    plan = plan_corpus(spec)
    n_lab = sum(u.ratings is not None for u in plan)
    if labels.is_file() and f"# spec: {spec_fingerprint(spec)}" in \
            labels.read_text(encoding="utf-8").splitlines():
        return n_lab, len(plan) - n_lab
    root.mkdir(parents=True, exist_ok=True)
    if labels.exists():
        labels.unlink()  # a different spec: regenerate everything
    jobs = [(u, spec, str(root)) for u in plan]
    if nj > 1:
        with Pool(nj) as pool:
            for _ in pool.imap_unordered(_write_one, jobs, chunksize=8):
                if progress:
                    progress()
    else:
        for job in jobs:
            _write_one(job)
            if progress:
                progress()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(label_rows(plan))
    (root / "README.txt").write_text(
        f"Synthetic emotional corpus '{spec.name}' generated by serda "
        f"(serda.simulate) with espeak-ng.\nStyle: {spec.style}.\n"
        f"{n_lab} labelled utterances (labels.csv), {len(plan) - n_lab} unlabelled "
        "(unlabelled/).\n", encoding="utf-8")
    tmp = labels.with_suffix(".tmp")
    tmp.write_text("\n".join(header(spec)) + "\n" + buf.getvalue(), encoding="utf-8")
    os.replace(tmp, labels)
    return n_lab, len(plan) - n_lab
