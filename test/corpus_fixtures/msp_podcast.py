"""MSP-Podcast fixture. Quirks: variant 0 = v1.10+ 'labels_consensus.csv',
'Development', Audios/; variant 1 = older 'labels_concensus.csv',
'Validation', Audio/; SpkrID 'Unknown'; class X; Test2 rows; audio without
a label row = unlabelled pool; Partitions.txt present (not needed)."""
from corpus_fixtures import Truth, text, tone

# FileName, EmoClass, EmoAct, EmoVal, EmoDom, SpkrID, Gender, Split_Set
ROWS = [
    ("MSP-PODCAST_0001_0008.wav", "N", 2.2, 4.0, 2.6, "30", "Male", "Test1"),
    ("MSP-PODCAST_0001_0009.wav", "N", 3.777778, 3.555556, 3.777778, "39", "Male", "Test1"),
    ("MSP-PODCAST_0002_0033.wav", "H", 4.6, 5.4, 4.2, "Unknown", "Female", "Train"),
    ("MSP-PODCAST_0003_0001.wav", "A", 5.8, 1.6, 5.2, "112", "Female", "Train"),
    ("MSP-PODCAST_0003_0002.wav", "X", 4.0, 4.0, 4.0, "112", "Female", "Train"),
    ("MSP-PODCAST_0004_0010.wav", "S", 2.0, 2.4, 3.0, "7", "Male", "DEV"),
    ("MSP-PODCAST_0005_0003.wav", "U", 5.0, 5.0, 4.5, "250", "Female", "Test2"),
]
UNLABELLED = ("MSP-PODCAST_0100_0001.wav", "MSP-PODCAST_0100_0002.wav")
VARIANTS = 2
CODES = {"A": "ang", "S": "sad", "H": "hap", "U": "sur", "N": "neu", "X": "xxx"}


def build(root, variant=0):
    dev = "Development" if variant == 0 else "Validation"
    lines = ["FileName,EmoClass,EmoAct,EmoVal,EmoDom,SpkrID,Gender,Split_Set"]
    for row in ROWS:
        row = list(row)
        row[7] = dev if row[7] == "DEV" else row[7]
        lines.append(",".join(str(x) for x in row))
    name = "labels_consensus.csv" if variant == 0 else "labels_concensus.csv"
    text(root / "Labels" / name, "\n".join(lines) + "\n")
    audio = root / ("Audios" if variant == 0 else "Audio")
    for i, row in enumerate(ROWS):
        tone(audio / row[0], freq=140 + 9 * i)
    for name in UNLABELLED:
        tone(audio / name)
    text(root / "Partitions.txt", "".join(f"{r[7]}; {r[0]}\n" for r in ROWS))
    split_of = {"Train": "train", "DEV": "dev", "Test1": "test1", "Test2": "test2"}
    truth = Truth(counts={}, speakers={})
    for fname, code, a, v, d, spk, gender, split in ROWS:
        stem = fname[:-4]
        speaker = "msp_podcast-" + (f"unk{stem[12:]}" if spk == "Unknown" else f"{int(spk):04d}")
        utt = f"{speaker}-{stem}"
        s = split_of[split]
        truth.counts[s] = truth.counts.get(s, 0) + 1
        truth.speakers.setdefault(s, set()).add(speaker)
        truth.genders[speaker] = gender[0].lower()
        truth.emo[utt], truth.native[utt] = CODES[code], code
        truth.dims[utt] = {"arousal": a, "valence": v, "dominance": d}
    truth.counts["unlab"] = len(UNLABELLED)
    truth.speakers["unlab"] = {f"msp_podcast-unk{n[12:-4]}" for n in UNLABELLED}
    return truth
