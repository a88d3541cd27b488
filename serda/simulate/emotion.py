"""Latent emotion of an utterance, its ratings, and how it moves the voice.

Each utterance has a category and a latent point ``z = (arousal, valence,
dominance)`` in [-1, 1]^3: the category's centroid plus a within-category
spread. Simulated raters perceive ``3 + 2 z`` on a 1-5 scale with their own
bias and noise, rounded to whole points; the label is their mean.

The voice follows ``e * z`` where ``e`` is the corpus' expressiveness
(acted speech ~1, natural speech lower): the same label moves the acoustics
less in a natural corpus, one of the shifts domain adaptation must bridge.
"""
from dataclasses import dataclass

import numpy as np

CATEGORIES = ("neu", "hap", "ang", "sad")
# (arousal, valence, dominance) centroids in [-1, 1]
CENTROIDS = {
    "neu": (0.0, 0.0, 0.0),
    "hap": (0.5, 0.75, 0.3),
    "ang": (0.8, -0.7, 0.7),
    "sad": (-0.7, -0.6, -0.5),
}
DIMENSIONS = ("arousal", "valence", "dominance")


def draw_latent(rng, category, spread):
    """Latent (arousal, valence, dominance) of one utterance, shape (3,)."""
    z = np.asarray(CENTROIDS[category]) + rng.normal(0.0, spread, size=3)
    return np.clip(z, -1.0, 1.0)


@dataclass
class RaterPanel:
    """A pool of raters, each with a fixed bias per dimension.

    ``biases``: (n_pool, 3) offsets in scale points; ``noise``: std of a
    rater's per-utterance disagreement; ``per_utt``: raters per utterance.
    """
    biases: np.ndarray
    noise: float
    per_utt: int

    @classmethod
    def create(cls, rng, n_pool, per_utt, bias_std, noise):
        return cls(rng.normal(0.0, bias_std, size=(n_pool, 3)), noise, per_utt)

    def rate(self, rng, z):
        """Integer ratings, shape (per_utt, 3), on the 1-5 scale."""
        who = rng.choice(len(self.biases), size=self.per_utt, replace=False)
        perceived = 3.0 + 2.0 * z[None, :] + self.biases[who] \
            + rng.normal(0.0, self.noise, size=(self.per_utt, 3))
        return np.clip(np.rint(perceived), 1, 5).astype(int)


@dataclass
class Rendering:
    """How one utterance is spoken: espeak prosody plus post-processing."""
    rate: float            # words per minute
    pitch: float           # espeak pitch level, 0-100
    pitch_range: float     # espeak pitch range, 0-100
    volume: float          # espeak amplitude, 0-200
    tract: float           # formant/pitch scale by resampling (1 = none)
    tilt_db_oct: float     # spectral tilt added, dB per octave
    breath: float          # breathy noise relative to the speech level
    exclaim: bool          # '!' ending (exclamative intonation)


def render(z, expressiveness, speaker, rng, prosody_jitter=0.0):
    """Map latent emotion ``z`` (3,) and a speaker to a :class:`Rendering`.

    Arousal raises rate, pitch, pitch range and loudness and flattens the
    spectral tilt (tense voice); low arousal adds breathiness. Valence widens the pitch range and raises formants
    slightly ("smiling" voice); dominance adds loudness and lowers pitch.
    A little per-utterance variation stands for performance differences;
    ``prosody_jitter`` adds tempo, pitch and pitch-range movement unrelated
    to emotion (questions, emphasis, turn-taking in natural conversation),
    in units of the full arousal effect.
    """
    a, v, d = expressiveness * np.asarray(z) + rng.normal(0.0, 0.06, size=3)
    j_rate, j_pitch, j_range = rng.normal(0.0, prosody_jitter, size=3) if prosody_jitter \
        else (0.0, 0.0, 0.0)
    return Rendering(
        rate=speaker.rate * (1.0 + 0.28 * (a + j_rate) + 0.05 * v),
        pitch=speaker.pitch + 20.0 * (a + j_pitch) + 6.0 * v - 6.0 * d,
        pitch_range=speaker.pitch_range + 28.0 * (a + j_range) + 14.0 * v,
        volume=100.0 + 45.0 * a + 25.0 * d,
        tract=speaker.tract * (1.0 + 0.035 * v),
        tilt_db_oct=speaker.tilt_db_oct + 2.5 * a,
        breath=speaker.breath + 0.05 * max(0.0, -a),
        exclaim=a > 0.45,
    )
