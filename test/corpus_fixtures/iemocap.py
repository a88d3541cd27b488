"""IEMOCAP fixture. Quirks: TAB-separated EmoEvaluation blocks with x.xxxx
numbers and 'dom  2' double spaces; a dialog holding turns of both actors
(speaker from the turn letter, not the dialog prefix); irregular dialog ids
Ses03M_impro05a and Ses05M_script01_1b; a Categorical/ subfolder decoy; an
AppleDouble ._ label file; a wav without a label block; a label block
without its wav."""
from corpus_fixtures import Truth, apple_double, text, tone

HEADER = "% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]\n\n"
# (dialog, turn, code, V, A, D)
TURNS = [
    ("Ses01F_impro01", "F000", "neu", 2.5, 2.5, 2.5),
    ("Ses01F_impro01", "M000", "exc", 3.5, 4.0, 3.0),
    ("Ses01F_impro04", "M001", "fru", 2.0, 3.5, 3.5),
    ("Ses03M_impro05a", "F017", "ang", 1.5, 4.0, 4.5),
    ("Ses03M_impro05a", "M000", "sad", 2.0, 1.5, 2.0),     # label without audio
    ("Ses05M_script01_1b", "F000", "sad", 1.5, 2.0, 2.0),
    ("Ses05M_script01_1b", "M001", "xxx", 3.0, 3.0, 3.0),
]


def _block(dialog, turn, code, v, a, d, start):
    return (f"[{start:.4f} - {start + 2.1:.4f}]\t{dialog}_{turn}\t{code}\t"
            f"[{v:.4f}, {a:.4f}, {d:.4f}]\n"
            "C-E2:\tNeutral;\t()\n"
            "C-F1:\tNeutral;\t(curious)\n"
            f"A-E3:\tval {int(v)}; act {int(a)}; dom  {int(d)};\t()\n"
            "A-E4:\tval 3; act 3; dom  3;\t(mildly aggravated but staying polite, attitude)\n"
            "A-F1:\tval 3; act 2; dom  1;\t()\n\n")


VARIANTS = 2


def build(root, variant=0):
    files = {}
    for i, (dialog, turn, code, v, a, d) in enumerate(TURNS):
        files.setdefault(dialog, []).append(_block(dialog, turn, code, v, a, d, 6.29 + 10 * i))
        session = dialog[4]
        if turn != "M000" or dialog != "Ses03M_impro05a":
            tone(root / f"Session{session}/sentences/wav/{dialog}/{dialog}_{turn}.wav",
                 freq=150 + 10 * i)
    for dialog, blocks in files.items():
        text(root / f"Session{dialog[4]}/dialog/EmoEvaluation/{dialog}.txt",
             HEADER + "".join(blocks))
    text(root / "Session1/dialog/EmoEvaluation/Categorical/Ses01F_impro01_e2_cat.txt",
         "Ses01F_impro01_F000 :Neutral state;\n")
    text(root / "Session1/dialog/EmoEvaluation/Attribute/Ses01F_impro01_e3_atr.txt",
         "Ses01F_impro01_F000 :act 4; :val 3; :dom 2;\n")
    apple_double(root / "Session1/dialog/EmoEvaluation/._Ses01F_impro01.txt")
    tone(root / "Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_F001.wav")
    four = variant == 1
    truth = Truth(counts={}, speakers={}, genders={}, options={"four_class": "true"} if four else {})
    merge = {"neu": "neu", "hap": "hap", "exc": "hap", "sad": "sad", "ang": "ang"}
    for dialog, turn, code, v, a, d in TURNS:
        spk = f"iemocap-Ses0{dialog[4]}{turn[0]}"
        utt = f"{spk}-{dialog}_{turn}"
        if four and code not in merge:
            truth.skipped.append((utt, "4-class"))
            continue
        if turn == "M000" and dialog == "Ses03M_impro05a":
            truth.skipped.append((utt, "audio file missing"))
            continue
        split = f"ses{dialog[4]}"
        truth.counts[split] = truth.counts.get(split, 0) + 1
        truth.speakers.setdefault(split, set()).add(spk)
        truth.genders[spk] = turn[0].lower()
        truth.emo[utt] = merge[code] if four else code
        truth.native[utt] = code
        truth.dims[utt] = {"valence": v, "arousal": a, "dominance": d}
    truth.skipped += [("._Ses01F_impro01.txt", "AppleDouble"),
                      ("Ses01F_impro01_F001.wav", "without a label block")]
    return truth
