"""Simulated speakers: an espeak-ng voice variant plus personal settings."""
from dataclasses import dataclass

# espeak-ng voice variants (espeak-ng-data/voices/!v) by gender
VARIANTS = {"f": ("f1", "f2", "f3", "f4", "f5"),
            "m": ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8")}


@dataclass
class Speaker:
    """Voice of one speaker.

    ``voice``: espeak voice name (``<lang>+<variant>``); ``rate`` in words
    per minute and ``pitch``/``pitch_range`` on espeak's 0-100 scale at a
    neutral state; ``tract``: vocal-tract scale applied by resampling (>1
    shorter tract, higher formants); ``tilt_db_oct``: personal spectral
    tilt; ``breath``: personal breathiness; ``gain``: recording level
    (within 1 dB across speakers, as in level-normalised corpora).
    """
    id: str
    gender: str
    voice: str
    rate: float
    pitch: float
    pitch_range: float
    tract: float
    tilt_db_oct: float
    breath: float
    gain: float


def make_speaker(rng, speaker_id, gender, lang, index, age="adult"):
    """Draw a speaker of ``gender`` speaking ``lang``; ``index`` picks the
    variant. ``age`` "child": a 10-13 year old's voice, higher pitch and a
    shorter vocal tract (formants about 20-30 % higher), slower speech."""
    variants = VARIANTS[gender]
    female = gender == "f"
    if age == "child":
        return Speaker(
            id=speaker_id, gender=gender,
            voice=f"{lang}+{variants[index % len(variants)]}",
            rate=float(rng.uniform(130, 170)),
            pitch=float(rng.uniform(78, 95)),
            pitch_range=float(rng.uniform(45, 65)),
            tract=float(rng.uniform(1.18, 1.32)),
            tilt_db_oct=float(rng.normal(0.0, 1.0)),
            breath=float(rng.uniform(0.0, 0.03)),
            gain=float(rng.uniform(0.9, 1.0)),
        )
    return Speaker(
        id=speaker_id,
        gender=gender,
        voice=f"{lang}+{variants[index % len(variants)]}",
        rate=float(rng.uniform(150, 190)),
        pitch=float(rng.uniform(55, 72) if female else rng.uniform(28, 45)),
        pitch_range=float(rng.uniform(40, 60)),
        tract=float(rng.uniform(1.0, 1.08) if female else rng.uniform(0.92, 1.0)),
        tilt_db_oct=float(rng.normal(0.0, 1.0)),
        breath=float(rng.uniform(0.0, 0.02)),
        gain=float(rng.uniform(0.9, 1.0)),
    )
