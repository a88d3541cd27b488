"""Data preparation of a synthetic corpus through python -m serda.bin.prepare_data."""
import shutil
import subprocess
import sys

from conftest import run_env
from serda.data.datadir import DataDir
from serda.data.validate import validate_data_dir
from serda.simulate.corpus import LABEL_FILE


def prepare(root, out, *extra):
    return subprocess.run([sys.executable, "-m", "serda.bin.prepare_data", "--corpus", "synth",
                           "--root", str(root), "--out", str(out), *extra],
                          capture_output=True, text=True, env=run_env())


def test_splits_counts_labels(tiny_corpus, tmp_path):
    root, _ = tiny_corpus
    r = prepare(root, tmp_path / "data")
    assert r.returncode == 0, r.stderr
    counts = {s: validate_data_dir(tmp_path / "data" / f"mini_en_{s}")
              for s in ("train", "dev", "test", "unlab")}
    assert counts == {"train": 12, "dev": 4, "test": 8, "unlab": 8}
    spk = {s: set(DataDir.load(tmp_path / "data" / f"mini_en_{s}").utt2spk.values())
           for s in counts}
    assert len(spk["train"]) == 6 and not (spk["train"] & spk["test"]) \
        and not (spk["train"] & spk["dev"]) and not (spk["dev"] & spk["test"])
    train = DataDir.load(tmp_path / "data" / "mini_en_train")
    assert set(train.tables["utt2gender"].values()) == {"f", "m"}
    assert set(train.tables["utt2lang"].values()) == {"en"}
    assert train.attributes["attributes"]["arousal"]["scale"] == [1, 5]
    # labels equal labels.csv
    rows = [l.split(",") for l in (root / LABEL_FILE).read_text().splitlines()
            if l.startswith("wav/")]
    for row in rows:
        if row[3] != "train":
            continue
        utt = "mini_en-" + row[0].rsplit("/", 1)[1][:-4]
        assert train.tables["utt2emo"][utt] == row[4]
        assert float(train.tables["utt2arousal"][utt]) == float(row[5])
    unlab = DataDir.load(tmp_path / "data" / "mini_en_unlab")
    assert "utt2arousal" not in unlab.tables and "utt2emo" not in unlab.tables


def test_missing_and_unlisted_audio_are_reported(tiny_corpus, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(tiny_corpus[0], root)
    victim = sorted((root / "wav").glob("*/*.wav"))[0]
    victim.rename(root / "wav" / victim.parent.name / "unlisted.wav")
    (root / "wav" / victim.parent.name / "._apple.wav").write_bytes(b"\0")
    r = prepare(root, tmp_path / "data")
    assert r.returncode == 0, r.stderr
    assert "3 utterance(s)/file(s) left out" in r.stdout
    report = (tmp_path / "data" / "local" / "mini_en_skipped.txt").read_text()
    assert f"audio file missing: {victim}" in report
    assert "unlisted.wav audio without a row" in report
    assert "._apple.wav AppleDouble" in report
    assert validate_data_dir(tmp_path / "data" / "mini_en_train") == 11


def test_malformed_label_line_names_file_and_line(tiny_corpus, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(tiny_corpus[0], root)
    lines = (root / LABEL_FILE).read_text().splitlines()
    n = next(i for i, l in enumerate(lines) if l.startswith("wav/"))
    lines[n + 2] = lines[n + 2].replace(",train,", ",training,")
    (root / LABEL_FILE).write_text("\n".join(lines) + "\n")
    r = prepare(root, tmp_path / "data")
    assert r.returncode == 1
    assert f"{root / LABEL_FILE}:{n + 3}: split 'training' is not one of" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_latin1_label_file_names_file_line_and_byte(tiny_corpus, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(tiny_corpus[0], root)
    lines = (root / LABEL_FILE).read_bytes().split(b"\n")
    n = next(i for i, l in enumerate(lines) if l.startswith(b"wav/"))
    lines[n] = lines[n] + b",caf\xe9"
    (root / LABEL_FILE).write_bytes(b"\n".join(lines))
    r = prepare(root, tmp_path / "data")
    assert r.returncode == 1
    assert (f"{root / LABEL_FILE}:{n + 1}: not UTF-8 text: byte 0xe9 at column {len(lines[n])}"
            in r.stderr)
    assert "Traceback" not in r.stderr


def test_wrong_corpus_fails_fast_with_expected_layout(tmp_path):
    (tmp_path / "emodb" / "wav").mkdir(parents=True)
    r = prepare(tmp_path / "emodb", tmp_path / "data")
    assert r.returncode == 1
    assert "no labels.csv; expected a corpus written by serda.bin.simulate_corpus" in r.stderr
