"""RECOLA (AVEC 2016) fixture: recordings_audio/{train,dev,test}_N.wav,
';'-separated ratings_individual/<dim>/<rec>.csv with 6 rater columns at
40 ms, a dev recording with only the gold-standard ARFF (quoted instance
name), and a test recording without labels. Ratings are piecewise
constant so each 4 s window's delayed mean is known by hand."""
import numpy as np

from corpus_fixtures import Truth, text, tone

SECONDS = 12.0
RECS = {"train_1": (0.5, -0.25), "train_2": (0.1, 0.3), "dev_1": (-0.4, 0.2)}
VARIANTS = 1


def _base(t, before, after):
    """Gold value before / after t = 6 s (arousal); valence = -arousal."""
    return np.where(t < 6.0 - 1e-9, before, after)


def build(root, variant=0):
    times = np.round(np.arange(0, SECONDS + 0.02, 0.04), 2)
    for i, (rec, (before, after)) in enumerate(RECS.items()):
        tone(root / "recordings_audio" / f"{rec}.wav", seconds=SECONDS, freq=130 + 20 * i)
        for dim, sign in (("arousal", 1.0), ("valence", -1.0)):
            gold = sign * _base(times, before, after)
            if rec.startswith("train"):
                raters = gold[:, None] + np.array([-0.25, -0.15, -0.05, 0.05, 0.15, 0.25])
                lines = ["time;FM1 ;FM2 ;FM3 ;FF1 ;FF2 ;FF3 "]
                lines += [";".join([f"{t:.2f}"] + [f"{v:.6f}" for v in row])
                          for t, row in zip(times, raters)]
                text(root / "ratings_individual" / dim / f"{rec}.csv", "\n".join(lines) + "\n")
            else:
                body = "".join(f"'{rec}',{t:.2f},{g:.6f}\n" for t, g in zip(times, gold))
                text(root / "ratings_gold_standard" / dim / f"{rec}.arff",
                     "@relation GOLDSTANDARD\n\n@attribute Instance_name string\n"
                     "@attribute frameTime numeric\n@attribute GoldStandard numeric\n\n"
                     f"@data\n\n{body}")
    tone(root / "recordings_audio" / "test_1.wav", seconds=2.0)
    truth = Truth(counts={}, speakers={})
    for rec, (before, after) in RECS.items():
        split = rec.split("_")[0]
        # windows (0,4) and (4,8); delayed by 2 s: [2,6) -> before, [6,10) -> after;
        # (8,12) would need ratings up to 14 s and is not made
        for k, value in enumerate((before, after)):
            utt = f"recola-{rec}-{k:04d}"
            truth.counts[split] = truth.counts.get(split, 0) + 1
            truth.speakers.setdefault(split, set()).add(f"recola-{rec}")
            truth.dims[utt] = {"arousal": value, "valence": -value}
            truth.extra.setdefault("segments", {})[utt] = f"{rec} {4.0 * k:.2f} {4.0 * k + 4:.2f}"
    truth.skipped.append(("test_1.wav", "has no labels"))
    return truth
