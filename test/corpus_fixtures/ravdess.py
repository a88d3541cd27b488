"""RAVDESS fixture: Audio_Speech_Actors_01-24 wrapper with Actor_NN
folders, 48 kHz files named modality-channel-emotion-intensity-statement-
repetition-actor, odd actors male; a song (channel 02) file and an
audio-video (modality 01) file that the speech recipe leaves out."""
from corpus_fixtures import Truth, tone

FILES = ["03-01-01-01-01-01-01", "03-01-05-02-01-02-01", "03-01-02-01-02-01-02",
         "03-01-08-02-02-02-02", "03-01-03-01-01-01-03", "03-01-06-02-01-01-04",
         "03-01-07-01-02-02-05", "03-01-04-02-02-01-06"]
LEFT_OUT = [("03-02-03-01-01-01-01", "song"), ("01-01-05-01-01-01-02", "not audio-only")]
CODES = {"01": "neu", "02": "cal", "03": "hap", "04": "sad", "05": "ang", "06": "fea",
         "07": "dis", "08": "sur"}
VARIANTS = 1


def build(root, variant=0):
    base = root / "Audio_Speech_Actors_01-24"
    for i, stem in enumerate(FILES + [s for s, _ in LEFT_OUT]):
        tone(base / f"Actor_{stem[-2:]}" / f"{stem}.wav", sr=48000, freq=150 + 6 * i)
    # gender-balanced deal, 4 folds: f 02 04 06, m 01 03 05
    order = ["02", "04", "06", "01", "03", "05"]
    fold = {a: f"fold{i % 4 + 1}" for i, a in enumerate(order)}
    truth = Truth(counts={}, speakers={})
    for stem in FILES:
        actor = stem[-2:]
        utt, speaker = f"ravdess-{actor}-{stem}", f"ravdess-{actor}"
        s = fold[actor]
        truth.counts[s] = truth.counts.get(s, 0) + 1
        truth.speakers.setdefault(s, set()).add(speaker)
        truth.genders[speaker] = "m" if int(actor) % 2 else "f"
        truth.emo[utt], truth.native[utt] = CODES[stem[6:8]], stem[6:8]
        truth.extra.setdefault("utt2intensity", {})[utt] = "normal" if stem[9:11] == "01" \
            else "strong"
    truth.skipped += [(f"{s}.wav", why) for s, why in LEFT_OUT]
    return truth
