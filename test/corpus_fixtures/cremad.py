"""CREMA-D fixture: AudioWAV/<actor>_<sentence>_<EMO>_<LEVEL>.wav,
VideoDemographics.csv for genders, the misnamed 1040_ITH_SAD_X.wav
(normalised to _XX), an unreadable 1076_MTI_NEU_XX.wav, a git-lfs pointer
left by a zip download, and AudioMP3/ beside AudioWAV/ (not read)."""
from corpus_fixtures import Truth, text, tone

FILES = ["1001_DFA_ANG_XX", "1001_IEO_HAP_HI", "1002_TIE_SAD_LO", "1003_IOM_NEU_XX",
         "1004_IWW_FEA_MD", "1005_TAI_DIS_XX", "1040_ITH_SAD_X", "1076_MTI_SAD_XX"]
SEX = {"1001": "Male", "1002": "Female", "1003": "Female", "1004": "Male", "1005": "Female",
       "1040": "Male", "1076": "Female", "1077": "Male"}
CODES = {"ANG": "ang", "DIS": "dis", "FEA": "fea", "HAP": "hap", "NEU": "neu", "SAD": "sad"}
VARIANTS = 1


def build(root, variant=0):
    for i, stem in enumerate(FILES):
        tone(root / "AudioWAV" / f"{stem}.wav", freq=170 + 5 * i)
    (root / "AudioWAV" / "1076_MTI_NEU_XX.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    text(root / "AudioWAV" / "1077_DFA_HAP_LO.wav",
         "version https://git-lfs.github.com/spec/v1\noid sha256:0123\nsize 91436\n")
    text(root / "AudioMP3" / "1001_DFA_ANG_XX.mp3", "not read")
    text(root / "VideoDemographics.csv", "ActorID,Age,Sex,Race,Ethnicity\n" + "".join(
        f"{a},{30 + i},{s},Caucasian,Not Hispanic\n" for i, (a, s) in enumerate(SEX.items())))
    actors = sorted({s[:4] for s in FILES})
    gender = {a: SEX[a][0].lower() for a in actors}
    order = sorted(actors, key=lambda a: (gender[a], a))
    fold = {a: f"fold{i % 5 + 1}" for i, a in enumerate(order)}
    truth = Truth(counts={}, speakers={})
    for stem in FILES:
        actor = stem[:4]
        norm = stem + "X" if stem.endswith("_X") else stem
        utt, speaker = f"cremad-{actor}-{norm}", f"cremad-{actor}"
        s = fold[actor]
        truth.counts[s] = truth.counts.get(s, 0) + 1
        truth.speakers.setdefault(s, set()).add(speaker)
        truth.genders[speaker] = gender[actor]
        truth.emo[utt], truth.native[utt] = CODES[stem[9:12]], stem[9:12]
    truth.skipped += [("1076_MTI_NEU_XX", "unreadable audio"), ("1077_DFA_HAP_LO", "git-lfs")]
    return truth
