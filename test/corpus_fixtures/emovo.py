"""EMOVO fixture: EMOVO/<f1..m3>/ folders with lower-case speaker codes in
the names (emotion-speaker-sentence), 48 kHz stereo audio, a file whose
name does not follow the pattern, and a documentation PDF beside them."""
from corpus_fixtures import Truth, text, tone

FILES = ["dis-f1-b1", "gio-f1-l2", "neu-f2-n5", "pau-f3-d1", "rab-m1-b3", "sor-m2-l4",
         "tri-m3-d2", "tri-m3-n1"]
CODES = {"dis": "dis", "gio": "hap", "neu": "neu", "pau": "fea", "rab": "ang", "sor": "sur",
         "tri": "sad"}
VARIANTS = 1


def build(root, variant=0):
    for i, stem in enumerate(FILES):
        spk = stem.split("-")[1]
        tone(root / "EMOVO" / spk / f"{stem}.wav", sr=48000, channels=2, freq=190 + 6 * i)
    tone(root / "EMOVO" / "m1" / "rab-M1-b3 (copy).wav", sr=48000)
    text(root / "EMOVO" / "documentation.txt", "EMOVO corpus\n")
    order = ["f1", "f2", "f3", "m1", "m2", "m3"]
    fold = {s: f"fold{i % 3 + 1}" for i, s in enumerate(order)}
    truth = Truth(counts={}, speakers={})
    for stem in FILES:
        emo, spk, _ = stem.split("-")
        utt, speaker = f"emovo-{spk}-{stem}", f"emovo-{spk}"
        s = fold[spk]
        truth.counts[s] = truth.counts.get(s, 0) + 1
        truth.speakers.setdefault(s, set()).add(speaker)
        truth.genders[speaker] = spk[0]
        truth.emo[utt], truth.native[utt] = CODES[emo], emo
    truth.skipped.append(("rab-M1-b3 (copy).wav", "does not match"))
    return truth
