"""EmoDB fixture: all 10 speakers, the German emotion letters (F = joy,
A = fear, W = anger, L = boredom), version letters beyond 'a', erkennung.txt
and silb/ beside wav/, an AppleDouble ._ file and a stray non-corpus wav."""
from corpus_fixtures import Truth, apple_double, text, tone

FILES = ["03a01Fa", "03b10Wc", "08a02Ab", "09b03Ld", "10a04Ta", "11b09Ea",
         "12a05Na", "13a07Fb", "14b01Wa", "15b02Ta", "16a01La", "16b10Nd"]
GENDER = {"03": "m", "10": "m", "11": "m", "12": "m", "15": "m",
          "08": "f", "09": "f", "13": "f", "14": "f", "16": "f"}
CODES = {"W": "ang", "L": "bor", "E": "dis", "A": "fea", "F": "hap", "T": "sad", "N": "neu"}
VARIANTS = 1


def build(root, variant=0):
    for i, stem in enumerate(FILES):
        tone(root / "wav" / f"{stem}.wav", freq=120 + 8 * i)
    apple_double(root / "wav" / "._03a01Fa.wav")
    tone(root / "wav" / "test_recording.wav")
    text(root / "erkennung.txt", "Erkennungsraten\n")
    text(root / "silb" / "03a01Fa.silb", "0.1 ha\n")
    # gender-balanced round robin over f then m sorted: 08 09 13 14 16 03 10 11 12 15
    order = ["08", "09", "13", "14", "16", "03", "10", "11", "12", "15"]
    fold = {spk: f"fold{i % 5 + 1}" for i, spk in enumerate(order)}
    truth = Truth(counts={}, speakers={})
    for stem in FILES:
        spk = stem[:2]
        utt, speaker = f"emodb-{spk}-{stem}", f"emodb-{spk}"
        s = fold[spk]
        truth.counts[s] = truth.counts.get(s, 0) + 1
        truth.speakers.setdefault(s, set()).add(speaker)
        truth.genders[speaker] = GENDER[spk]
        truth.emo[utt], truth.native[utt] = CODES[stem[5]], stem[5]
    truth.skipped += [("._03a01Fa.wav", "AppleDouble"), ("test_recording.wav", "does not match")]
    return truth
