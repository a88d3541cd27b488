"""The synthetic corpus generator: determinism, labels, speakers, layout."""
import csv

import numpy as np
import pytest

from serda.simulate.corpus import LABEL_FILE, MAGIC, plan_corpus, sentences, write_corpus
from serda.simulate.emotion import CATEGORIES
from serda.simulate.presets import PRESETS, get_preset


def tree_bytes(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_corpus_whatever_the_job_count(tmp_path):
    spec = get_preset("mini_de", utts_per_speaker=1, unlab_per_speaker=1)
    write_corpus(spec, tmp_path / "a", nj=1)
    write_corpus(spec, tmp_path / "b", nj=2)
    a, b = tree_bytes(tmp_path / "a"), tree_bytes(tmp_path / "b")
    assert len(a) == 18 + 4 + 2  # wavs of 18 speakers, pool wavs, labels.csv + README.txt
    assert a == b
    write_corpus(get_preset("mini_de", utts_per_speaker=1, unlab_per_speaker=1, seed=5),
                 tmp_path / "c", nj=1)
    c = tree_bytes(tmp_path / "c")
    assert c[tmp_path.joinpath("c", LABEL_FILE).relative_to(tmp_path / "c")] != \
        a[tmp_path.joinpath("a", LABEL_FILE).relative_to(tmp_path / "a")]


def test_rerun_skips_a_complete_corpus(tiny_corpus):
    root, spec = tiny_corpus
    stamp = (root / LABEL_FILE).stat().st_mtime_ns
    write_corpus(spec, root, nj=1)
    assert (root / LABEL_FILE).stat().st_mtime_ns == stamp


def test_label_file_has_header_and_rater_disagreement(tiny_corpus):
    root, spec = tiny_corpus
    lines = (root / LABEL_FILE).read_text().splitlines()
    assert lines[0] == MAGIC and "# corpus: mini_en" in lines and "# language: en" in lines
    rows = list(csv.DictReader(l for l in lines if not l.startswith("#")))
    assert len(rows) == spec.n_labelled == 24
    disagree = 0
    for row in rows:
        assert row["emotion"] in CATEGORIES
        for dim in ("arousal", "valence", "dominance"):
            scores = [int(s) for s in row[f"{dim}_ratings"].split(";")]
            assert len(scores) == 5 and all(1 <= s <= 5 for s in scores)
            assert float(row[dim]) == pytest.approx(np.mean(scores), abs=1e-4)
            disagree += len(set(scores)) > 1
    assert disagree > len(rows)  # raters disagree on many items
    assert len(list((root / "unlabelled").glob("*/*.wav"))) == spec.n_unlabelled


def test_speakers_splits_and_sentences():
    for name, spec in PRESETS.items():
        plan = plan_corpus(spec)
        by_split = {}
        for u in plan:
            by_split.setdefault(u.split, set()).add(u.speaker.id)
        pool = {"unlab"} if spec.n_unlabelled else set()   # paper 3's pair has no pool
        assert set(by_split) == {"train", "dev", "test"} | pool
        spks = [s for v in by_split.values() for s in v]
        genders = {u.speaker.gender for u in plan if u.split == "train"}
        if name == "mini_studio_en":                   # SAVEE's stand-in: 4 male actors
            assert len(spks) == len(set(spks)) == 4 and genders == {"m"}
        else:
            assert len(spks) == len(set(spks)) >= 8    # speaker-independent
            assert genders == {"f", "m"}
        assert len({u.path for u in plan}) == len(plan)
        assert len(sentences(spec.language)) >= 30
        assert spec.n_labelled >= (160 if name == "mini_studio_en" else 400)
    assert all(PRESETS[p].n_unlabelled >= 600 for p in ("mini_en", "mini_de"))
    assert PRESETS["mini_de"].expressiveness < PRESETS["mini_en"].expressiveness


def test_children_speak_higher_than_adults():
    """The children's preset draws higher pitch and shorter vocal tracts."""
    child = {u.speaker.id: u.speaker for u in plan_corpus(PRESETS["mini_child_de"])}
    adult = {u.speaker.id: u.speaker for u in plan_corpus(PRESETS["mini_acted_de"])}
    assert min(s.pitch for s in child.values()) > max(s.pitch for s in adult.values()
                                                       if s.gender == "m")
    assert min(s.tract for s in child.values()) > max(s.tract for s in adult.values())
    # the label imbalance of Aibo (NEG : IDL about 1 : 2) and EmoDB (72 % negative)
    share = lambda name: np.mean([u.category in ("ang", "sad")  # noqa: E731
                                  for u in plan_corpus(PRESETS[name]) if u.split != "unlab"])
    assert 0.25 < share("mini_child_de") < 0.4 and 0.65 < share("mini_acted_de") < 0.8


def test_audio_is_16k_mono_and_emotion_moves_acoustics(tmp_path):
    import soundfile as sf

    from serda.simulate.corpus import synthesize

    spec = get_preset("mini_en")
    plan = plan_corpus(spec)
    speaker = plan[0].speaker
    loud, soft = [], []
    for u in plan:
        if u.speaker is not speaker or u.category not in ("ang", "sad"):
            continue
        x = synthesize(u, spec)
        assert x.dtype == np.float32 and x.ndim == 1 and np.abs(x).max() < 1.0
        (loud if u.category == "ang" else soft).append(float(np.sqrt(np.mean(x ** 2))))
        if len(loud) >= 3 and len(soft) >= 3:
            break
    assert min(loud) > max(soft)   # anger is louder than sadness for one speaker
    sf.write(tmp_path / "x.wav", x, 16000)
    assert sf.info(tmp_path / "x.wav").samplerate == 16000


def test_automatic_gain_levels_loud_and_quiet_speech_alike():
    from serda.simulate.channel import automatic_gain
    rng = np.random.default_rng(0)
    sr = 16000
    speech = np.concatenate([np.zeros(sr // 4), rng.standard_normal(sr), np.zeros(sr // 4)])
    loud, quiet = automatic_gain(0.5 * speech, sr, 0.1), automatic_gain(0.01 * speech, sr, 0.1)
    np.testing.assert_allclose(loud, quiet, rtol=1e-9)
    active = loud[sr // 4: sr // 4 + sr]
    assert np.sqrt((active ** 2).mean()) == pytest.approx(0.1, rel=0.02)
