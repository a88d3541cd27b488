"""TESS fixture: the 'TESS Toronto emotional speech set data' wrapper,
inconsistently capitalised folders (OAF_Fear, YAF_fear,
YAF_pleasant_surprised, OAF_Pleasant_surprise), labels from the file
names ('ps' = pleasant surprise) at 24,414 Hz."""
from corpus_fixtures import Truth, tone

FILES = [("OAF_Fear", "OAF_back_fear"), ("OAF_angry", "OAF_bar_angry"),
         ("OAF_Pleasant_surprise", "OAF_base_ps"), ("YAF_fear", "YAF_bath_fear"),
         ("YAF_pleasant_surprised", "YAF_bean_ps"), ("YAF_sad", "YAF_beg_sad"),
         ("YAF_neutral", "YAF_bite_neutral")]
CODES = {"angry": "ang", "disgust": "dis", "fear": "fea", "happy": "hap", "neutral": "neu",
         "ps": "sur", "sad": "sad"}
VARIANTS = 1


def build(root, variant=0):
    base = root / "TESS Toronto emotional speech set data"
    for i, (folder, stem) in enumerate(FILES):
        tone(base / folder / f"{stem}.wav", sr=24414, freq=200 + 7 * i)
    truth = Truth(counts={}, speakers={})
    for _, stem in FILES:
        spk, word, emo = stem.split("_")
        utt, speaker = f"tess-{spk}-{stem}", f"tess-{spk}"
        s = "fold1" if spk == "OAF" else "fold2"
        truth.counts[s] = truth.counts.get(s, 0) + 1
        truth.speakers.setdefault(s, set()).add(speaker)
        truth.genders[speaker] = "f"
        truth.emo[utt], truth.native[utt] = CODES[emo], emo
    return truth
