"""SAVEE fixture: variant 0 official AudioData/<speaker>/ folders with
'sa'/'su' two-letter codes, neutral numbering past 15, and a nested
duplicate AudioData/AudioData/ tree; variant 1 the flattened
<speaker>_<code><nn>.wav copies at 44.1 kHz."""
from corpus_fixtures import Truth, tone

FILES = [("DC", "a01"), ("DC", "sa04"), ("JE", "su02"), ("JE", "n30"),
         ("JK", "h15"), ("JK", "d01"), ("KL", "f07"), ("KL", "n30")]
CODES = {"a": "ang", "d": "dis", "f": "fea", "h": "hap", "n": "neu", "sa": "sad", "su": "sur"}
VARIANTS = 2


def build(root, variant=0):
    for i, (spk, stem) in enumerate(FILES):
        if variant == 0:
            tone(root / "AudioData" / spk / f"{stem}.wav", sr=44100, freq=110 + 9 * i)
        else:
            tone(root / f"{spk}_{stem}.wav", sr=44100, freq=110 + 9 * i)
    if variant == 0:
        tone(root / "AudioData" / "AudioData" / "DC" / "a01.wav", sr=44100)
    fold = {spk: f"fold{i + 1}" for i, spk in enumerate(("DC", "JE", "JK", "KL"))}
    truth = Truth(counts={}, speakers={})
    for spk, stem in FILES:
        code = stem.rstrip("0123456789")
        utt, speaker = f"savee-{spk}-{stem}", f"savee-{spk}"
        s = fold[spk]
        truth.counts[s] = truth.counts.get(s, 0) + 1
        truth.speakers.setdefault(s, set()).add(speaker)
        truth.genders[speaker] = "m"
        truth.emo[utt], truth.native[utt] = CODES[code], code
    if variant == 0:
        truth.skipped.append(("AudioData/AudioData", "nested duplicate"))
    return truth
