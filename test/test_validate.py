"""validate_data_dir catches each kind of error and names file and line."""
import pytest

from conftest import make_data_dir, write_table
from serda.data.validate import ValidationError, validate_data_dir


def problems_of(path, **kw):
    with pytest.raises(ValidationError) as err:
        validate_data_dir(path, **kw)
    return "\n".join(err.value.problems)


def test_valid_dir_passes(data_dir):
    assert validate_data_dir(data_dir) == 6


def test_unsorted_keys(data_dir):
    rows = [l.split(maxsplit=1) for l in (data_dir / "utt2emo").read_text().splitlines()]
    write_table(data_dir / "utt2emo", [rows[1], rows[0]] + rows[2:])
    assert "utt2emo:2: not sorted" in problems_of(data_dir)


def test_duplicate_keys(data_dir):
    with open(data_dir / "utt2gender", "a") as f:
        f.write("spk2-utt3 m\n")
    assert "utt2gender:7: duplicate key 'spk2-utt3'" in problems_of(data_dir)


def test_utterance_sets_disagree(data_dir):
    lines = (data_dir / "utt2lang").read_text().splitlines()
    (data_dir / "utt2lang").write_text("\n".join(lines[:-1]) + "\nspk2-utt9 en\n")
    text = problems_of(data_dir)
    assert "utt2lang:6: utterance 'spk2-utt9' is not in utt2spk" in text
    assert "utt2lang: lacks 1 utterance(s) of utt2spk, first 'spk2-utt3'" in text


def test_missing_audio(data_dir):
    (data_dir / "wav" / "spk1-utt2.wav").unlink()
    assert "wav.scp:2: spk1-utt2: audio file" in problems_of(data_dir)
    validate_data_dir(data_dir, check_audio=False)


def test_label_outside_declared_scale(data_dir):
    rows = [l.split() for l in (data_dir / "utt2arousal").read_text().splitlines()]
    rows[3][1] = "5.5"
    rows[4][1] = "high"
    write_table(data_dir / "utt2arousal", rows)
    text = problems_of(data_dir)
    assert "utt2arousal:4: spk2-utt1: arousal 5.5 is outside the declared scale [1, 5]" in text
    assert "utt2arousal:5: spk2-utt2: arousal 'high' is not a number" in text


def test_label_without_declared_scale(data_dir):
    (data_dir / "attributes.yaml").write_text("corpus: toy\n")
    assert "no scale declared for 'arousal'" in problems_of(data_dir)


def test_unknown_gender_language_and_emotion(data_dir):
    for name, bad in (("utt2gender", "x"), ("utt2lang", "english"), ("utt2emo", "joy")):
        rows = [l.split() for l in (data_dir / name).read_text().splitlines()]
        rows[2][1] = bad
        write_table(data_dir / name, rows)
    text = problems_of(data_dir)
    assert "utt2gender:3: spk1-utt3: unknown gender 'x'" in text
    assert "utt2lang:3: spk1-utt3: unknown language code (ISO 639-1) 'english'" in text
    assert "utt2emo:3: spk1-utt3: unknown emotion category 'joy'" in text


def test_speaker_must_prefix_utterance(tmp_path):
    d = make_data_dir(tmp_path / "d", n_spk=1, n_utt=1, with_labels=False)
    write_table(d / "utt2spk", [("spk1-utt1", "other")])
    write_table(d / "spk2utt", [("other", "spk1-utt1")])
    assert "utt2spk:1: speaker id 'other' is not a prefix" in problems_of(d)


def test_spk2utt_disagrees(data_dir):
    write_table(data_dir / "spk2utt", [("spk1", "spk1-utt1"), ("spk2", "spk2-utt1")])
    assert "spk2utt: disagrees with utt2spk" in problems_of(data_dir)


def test_bad_segments(data_dir):
    rows = [(f"spk1-utt{i}", f"spk1-utt1 {s} {e}") for i, (s, e) in
            enumerate([(0, 1), (2, 1), ("a", 3)], 1)]
    rows += [(f"spk2-utt{i}", "nope 0 1") for i in (1, 2, 3)]
    write_table(data_dir / "segments", rows)
    text = problems_of(data_dir)
    assert "segments:2: spk1-utt2: start 2 is not in [0, end 1)" in text
    assert "segments:3: spk1-utt3: start/end 'a 3' are not numbers" in text
    assert "segments:4: spk2-utt1: recording 'nope' is not in wav.scp" in text


def test_reports_all_problems_at_once(data_dir):
    (data_dir / "wav" / "spk1-utt1.wav").unlink()
    (data_dir / "attributes.yaml").write_text("corpus: toy\n")
    assert len(problems_of(data_dir).splitlines()) == 2


@pytest.mark.parametrize("content, problem", [
    (b"corpus: [toy\n", "attributes.yaml: not valid YAML"),
    (b"corpus: caf\xe9\n", "attributes.yaml:1: not UTF-8 text: byte 0xe9"),
])
def test_bad_attributes_yaml_is_one_problem_and_an_input_error_elsewhere(data_dir, content,
                                                                          problem):
    """validate lists it; the other readers of attributes.yaml (data dirs,
    the corpus of normalisation statistics, the config checks) raise the
    same InputError naming the file, not a parser traceback."""
    from serda.data.features import corpus_of
    from serda.errors import InputError
    (data_dir / "attributes.yaml").write_bytes(content)
    assert problem in problems_of(data_dir, check_audio=False, check_feats=False)
    with pytest.raises(InputError, match=problem.split(": ", 1)[1]):
        corpus_of([data_dir])
