"""FAU Aibo fixture: the common doubled IS2009EmotionChallenge/ wrapper,
space-separated '<chunk> <label> <confidence>' lines in the 5-class and
2-class files (NEG not equal to A+E), Ohm (train) and Mont (test) schools,
a chunk in the 5-class file only, and a wav without a label line."""
from corpus_fixtures import Truth, text, tone

# chunk, 5-class, 2-class (None: absent from the 2-class file)
CHUNKS = [("Ohm_01_015_00", "N", "IDL"), ("Ohm_01_016_00", "E", "NEG"),
          ("Ohm_02_003_01", "A", "NEG"), ("Ohm_02_004_00", "P", "IDL"),
          ("Mont_03_041_01", "A", "NEG"), ("Mont_03_042_00", "R", "IDL"),
          ("Mont_05_001_00", "E", "IDL"), ("Mont_05_002_00", "N", None)]
VARIANTS = 2
CODES5 = {"A": "ang", "E": "emp", "N": "neu", "P": "pos", "R": "oth"}


def build(root, variant=0):
    base = root / "IS2009EmotionChallenge" / "IS2009EmotionChallenge"
    labels = base / "labels" / "IS2009EmotionChallenge"
    text(labels / "chunk_labels_5cl_corpus.txt",
         "".join(f"{c} {l5} {0.5 + 0.1 * (i % 5):g}\n" for i, (c, l5, _) in enumerate(CHUNKS)))
    text(labels / "chunk_labels_2cl_corpus.txt",
         "".join(f"{c} {l2} 1\n" for c, _, l2 in CHUNKS if l2))
    for i, (chunk, _, _) in enumerate(CHUNKS):
        tone(base / "wav" / f"{chunk}.wav", freq=250 + 10 * i)
    tone(base / "wav" / "Ohm_09_001_00.wav")
    two = variant == 1
    truth = Truth(counts={}, speakers={}, options={"classes": "2"} if two else {})
    for chunk, l5, l2 in CHUNKS:
        if two and l2 is None:
            truth.skipped.append((chunk, "not in chunk_labels_2cl"))
            continue
        spk = "_".join(chunk.split("_")[:2])
        split = "train" if chunk.startswith("Ohm") else "test"
        utt = f"aibo-{spk}-{chunk}"
        truth.counts[split] = truth.counts.get(split, 0) + 1
        truth.speakers.setdefault(split, set()).add(f"aibo-{spk}")
        truth.emo[utt] = {"NEG": "neg", "IDL": "pos"}[l2] if two else CODES5[l5]
        truth.native[utt] = l2 if two else l5
    truth.skipped.append(("Ohm_09_001_00.wav", "audio without a line"))
    return truth
