"""MSP-IMPROV fixture. Quirks: UTD-IMPROV-*.avi ids in the labels vs
MSP-IMPROV-*.wav audio; 'D:x ;' stray space; a consensus line without the
N: field; D:NaN; a duplicated rater line; code X (no agreement); variant 0
'Evaluation.txt' with session dirs at the root, variant 1 the 'Evalution.txt'
spelling with an Audio/ root; an AppleDouble ._ wav; audio without labels."""
from corpus_fixtures import Truth, apple_double, text, tone

# (clip, code, A, V, D, N or None)
CLIPS = [
    ("S01A-F01-P-FM01", "N", 2.75, 3.0, 2.875, 3.25),
    ("S01A-M01-R-MF01", "A", 4.2, 1.6, 4.0, None),
    ("S02H-F02-T-FM03", "X", 3.4, 3.8, 3.0, 2.0),
    ("S02S-M02-S-MF04", "S", 1.8, 1.4, float("nan"), 3.0),   # D:NaN -> left out
    ("S03S-F03-P-FM12", "S", 1.5, 1.7, 2.0, 4.0),
]
VARIANTS = 2


def _num(x):
    return "NaN" if x != x else f"{x:.6f}"


def build(root, variant=0):
    blocks = []
    for clip, code, a, v, d, n in CLIPS:
        line = f"UTD-IMPROV-{clip}.avi; {code}; A:{_num(a)}; V:{_num(v)}; D:{_num(d)} ;"
        line += f" N:{_num(n)};" if n is not None else ""
        rater = "rater-0123; Neutral; Neutral-Calm; A:3.000000; V:3.000000; D:3.000000; N:4.000000;"
        blocks.append(f"{line}\n{rater}\n{rater}\nrater-0456; Happy; ; A:3.0; V:3.5; D:NaN; N:3.0;\n\n")
    text(root / ("Evaluation.txt" if variant == 0 else "Evalution.txt"), "".join(blocks))
    base = root if variant == 0 else root / "Audio"
    for i, (clip, *_rest) in enumerate(CLIPS):
        sent, spk, cond = clip.split("-")[0], clip.split("-")[1], clip.split("-")[2]
        tone(base / f"session{int(spk[1:])}/{sent}/{cond}/MSP-IMPROV-{clip}.wav", freq=160 + 7 * i)
    tone(base / "session6/S05N/P/MSP-IMPROV-S05N-M06-P-MF02.wav")          # no label
    apple_double(base / "session1/S01A/P/._MSP-IMPROV-S01A-F01-P-FM01.wav")
    truth = Truth(counts={}, speakers={})
    codes = {"A": "ang", "H": "hap", "S": "sad", "N": "neu", "X": "xxx"}
    for clip, code, a, v, d, n in CLIPS:
        spk = clip.split("-")[1]
        utt = f"msp_improv-{spk}-MSP-IMPROV-{clip}"
        if d != d:
            truth.skipped.append((f"MSP-IMPROV-{clip}", "dominance is NaN"))
            continue
        split = f"ses{int(spk[1:])}"
        truth.counts[split] = truth.counts.get(split, 0) + 1
        truth.speakers.setdefault(split, set()).add(f"msp_improv-{spk}")
        truth.genders[f"msp_improv-{spk}"] = spk[0].lower()
        truth.emo[utt], truth.native[utt] = codes[code], code
        truth.dims[utt] = {"arousal": a, "valence": v, "dominance": d}
        truth.extra.setdefault("utt2condition", {})[utt] = {
            "P": "natural_interaction", "R": "read", "T": "improvised_target",
            "S": "improvised_other"}[clip.split("-")[2]]
    truth.skipped += [("MSP-IMPROV-S05N-M06-P-MF02.wav", "without a consensus line"),
                      ("._MSP-IMPROV-S01A-F01-P-FM01.wav", "AppleDouble")]
    return truth
