"""Specifications of synthetic corpora and the named presets recipes use.

The mini pair differs the way real corpus pairs do: language and speakers,
channel (studio vs band-limited, noisy, reverberant, with automatic gain
control that removes loudness as a cue), expressiveness (acted vs natural),
prosody unrelated to emotion (conversational speech), label distribution
(balanced vs mostly neutral) and raters.
"""
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Channel:
    """Recording channel: band-pass edges (Hz), noise SNR (dB) and colour,
    reverberation time (s), and whether automatic gain control levels each
    utterance (telephone lines do)."""
    low_hz: float = 40.0
    high_hz: float = 7800.0
    snr_db: float = 40.0
    noise_color: str = "white"
    rt60: float = 0.0
    agc: bool = False


@dataclass(frozen=True)
class CorpusSpec:
    """Everything that determines a synthetic corpus (with ``seed``).

    Splits are by speaker: ``split_speakers`` gives (female, male) counts
    per split. ``utts_per_speaker`` labelled utterances each; the
    unlabelled pool comes from ``unlab_speakers`` further speakers
    (``unlab_per_speaker`` each). ``category_weights`` follows
    :data:`serda.simulate.emotion.CATEGORIES`. ``prosody_jitter``: std of
    tempo / pitch movement unrelated to emotion, in units of the full
    arousal effect (see :func:`serda.simulate.emotion.render`).
    """
    name: str
    language: str
    seed: int = 1
    split_speakers: tuple = (("train", 3, 3), ("dev", 1, 1), ("test", 2, 2))
    utts_per_speaker: int = 60
    unlab_speakers: tuple = (2, 2)
    unlab_per_speaker: int = 150
    expressiveness: float = 1.0
    prosody_jitter: float = 0.0
    category_weights: tuple = (0.25, 0.25, 0.25, 0.25)
    latent_spread: float = 0.2
    raters_pool: int = 8
    raters_per_utt: int = 5
    rater_bias: float = 0.3
    rater_noise: float = 0.6
    channel: Channel = field(default_factory=Channel)
    style: str = "acted"
    speaker_age: str = "adult"           # adult | child (serda.simulate.speakers)

    @property
    def n_labelled(self):
        return sum(f + m for _, f, m in self.split_speakers) * self.utts_per_speaker

    @property
    def n_unlabelled(self):
        return sum(self.unlab_speakers) * self.unlab_per_speaker


MINI_EN = CorpusSpec(
    name="mini_en", language="en", seed=11, expressiveness=1.0,
    channel=Channel(low_hz=40.0, high_hz=7800.0, snr_db=35.0, noise_color="white", rt60=0.15),
    style="acted (studio, balanced categories, 5 raters)",
)
MINI_DE = CorpusSpec(
    name="mini_de", language="de", seed=23, expressiveness=0.6,
    split_speakers=(("train", 6, 6), ("dev", 1, 1), ("test", 2, 2)),
    prosody_jitter=0.3,
    category_weights=(0.4, 0.25, 0.2, 0.15), latent_spread=0.25,
    raters_per_utt=3, rater_bias=0.4, rater_noise=0.7,
    channel=Channel(low_hz=300.0, high_hz=3400.0, snr_db=15.0, noise_color="pink", rt60=0.45,
                    agc=True),
    style="natural (telephone band with automatic gain control, noisy, reverberant, "
          "conversational prosody, mostly neutral, 3 raters)",
)
# the few-shot pair of paper 3 (Zhou & Chen: FAU Aibo -> EmoDB): spontaneous
# children's German with Aibo's label imbalance (IDL-like neutral / happy about
# 2 : 1 over NEG-like angry / sad; Ohm 6601 : 3358), two "schools" as the
# train / test speaker splits ...
MINI_CHILD_DE = CorpusSpec(
    name="mini_child_de", language="de", seed=31, expressiveness=0.5,
    split_speakers=(("train", 4, 4), ("dev", 1, 1), ("test", 4, 4)),
    utts_per_speaker=24, unlab_speakers=(0, 0), unlab_per_speaker=0,
    prosody_jitter=0.35, category_weights=(0.5, 0.17, 0.18, 0.15), latent_spread=0.3,
    raters_per_utt=5, rater_bias=0.3, rater_noise=0.6,
    channel=Channel(low_hz=60.0, high_hz=7800.0, snr_db=25.0, noise_color="pink", rt60=0.3),
    style="spontaneous children (close-talk microphone, classroom noise and reverberation, "
          "mostly neutral or happy: NEG : IDL about 1 : 2, 5 raters)",
    speaker_age="child",
)
# ... and acted adult German with EmoDB's imbalance (negative 385 : positive 150)
MINI_ACTED_DE = CorpusSpec(
    name="mini_acted_de", language="de", seed=41, expressiveness=1.0,
    split_speakers=(("train", 3, 3), ("dev", 1, 1), ("test", 1, 1)),
    utts_per_speaker=40, unlab_speakers=(0, 0), unlab_per_speaker=0,
    category_weights=(0.15, 0.13, 0.36, 0.36), latent_spread=0.2,
    channel=Channel(low_hz=40.0, high_hz=7800.0, snr_db=40.0, noise_color="white", rt60=0.1),
    style="acted adults (anechoic studio, 10 speakers, mostly angry or sad as EmoDB's "
          "negative 72 %, 5 raters)",
)
# the four corpora of paper 4 (Gao et al.: IEMOCAP, MSP-IMPROV, SAVEE, EmoDB):
# three English with their own speakers, channels and elicitation, and the
# German acted corpus above. Category weights follow the real four-class counts
# (neutral, happy, angry, sad); every speaker has a gender.
MINI_DYAD_EN = CorpusSpec(   # IEMOCAP: 5 dyadic sessions, scripted + improvised
    name="mini_dyad_en", language="en", seed=51, expressiveness=0.8,
    split_speakers=(("train", 3, 3), ("dev", 1, 1), ("test", 1, 1)),
    utts_per_speaker=40, unlab_speakers=(0, 0), unlab_per_speaker=0,
    prosody_jitter=0.2, category_weights=(0.31, 0.30, 0.20, 0.19), latent_spread=0.25,
    channel=Channel(low_hz=60.0, high_hz=7800.0, snr_db=30.0, noise_color="pink", rt60=0.25),
    style="hybrid acted dyads (scripted and improvised, lapel microphones in a room, "
          "5 female + 5 male, 3 raters)", raters_per_utt=3,
)
MINI_IMPROV_EN = CorpusSpec(  # MSP-IMPROV: 6 sessions of improvised dyads
    name="mini_improv_en", language="en", seed=61, expressiveness=0.65,
    split_speakers=(("train", 4, 4), ("dev", 1, 1), ("test", 1, 1)),
    utts_per_speaker=40, unlab_speakers=(0, 0), unlab_per_speaker=0,
    prosody_jitter=0.3, category_weights=(0.41, 0.31, 0.10, 0.18), latent_spread=0.3,
    channel=Channel(low_hz=80.0, high_hz=7600.0, snr_db=22.0, noise_color="white", rt60=0.35),
    style="improvised dyads (mostly neutral or happy, noisier, more reverberant room, "
          "6 female + 6 male, 5 or more raters)", raters_per_utt=5,
)
MINI_STUDIO_EN = CorpusSpec(  # SAVEE: 4 male actors, studio
    name="mini_studio_en", language="en", seed=71, expressiveness=1.0,
    split_speakers=(("train", 0, 2), ("dev", 0, 1), ("test", 0, 1)),
    utts_per_speaker=40, unlab_speakers=(0, 0), unlab_per_speaker=0,
    category_weights=(0.4, 0.2, 0.2, 0.2), latent_spread=0.2,
    channel=Channel(low_hz=40.0, high_hz=7900.0, snr_db=45.0, noise_color="white", rt60=0.05),
    style="acted, 4 male speakers (studio, neutral twice as frequent as each emotion)",
)
# paper 5 (Cai et al.: IEMOCAP <-> RECOLA): spontaneous French dyads (a remote
# collaborative task, headset microphones), paired with mini_dyad_en above
MINI_DYAD_FR = CorpusSpec(
    name="mini_dyad_fr", language="fr", seed=81, expressiveness=0.5,
    split_speakers=(("train", 3, 3), ("dev", 1, 1), ("test", 1, 1)),
    utts_per_speaker=40, unlab_speakers=(0, 0), unlab_per_speaker=0,
    prosody_jitter=0.35, category_weights=(0.45, 0.27, 0.1, 0.18), latent_spread=0.3,
    raters_per_utt=6, rater_bias=0.35, rater_noise=0.7,
    channel=Channel(low_hz=80.0, high_hz=7800.0, snr_db=30.0, noise_color="pink", rt60=0.1),
    style="spontaneous dyads (remote collaborative task, headset microphones, subtle "
          "expression, mostly neutral, 6 raters)",
)
PRESETS = {spec.name: spec for spec in (MINI_EN, MINI_DE, MINI_CHILD_DE, MINI_ACTED_DE,
                                         MINI_DYAD_EN, MINI_IMPROV_EN, MINI_STUDIO_EN,
                                         MINI_DYAD_FR)}


def get_preset(name, **overrides):
    """Preset ``name`` with fields replaced by ``overrides`` (e.g. seed)."""
    if name not in PRESETS:
        raise KeyError(f"unknown synthetic corpus preset '{name}' "
                       f"(known: {', '.join(sorted(PRESETS))})")
    return replace(PRESETS[name], **overrides)
