"""fix / split / subset / combine, through their utils/ command lines."""
import subprocess
import sys

import pytest

from conftest import UTILS, make_data_dir, run_env, write_table
from serda.data.datadir import DataDir
from serda.data.split import partition
from serda.data.validate import validate_data_dir


def run_util(name, *args, check=True):
    return subprocess.run([sys.executable, str(UTILS / name), *map(str, args)],
                          capture_output=True, text=True, env=run_env(), check=check)


def test_fix_drops_incomplete_utterances_with_a_trace(data_dir):
    rows = [l.split() for l in (data_dir / "utt2emo").read_text().splitlines()]
    write_table(data_dir / "utt2emo", list(reversed(rows[1:])))  # unsorted, lacks one
    out = run_util("fix_data_dir.py", data_dir).stdout
    assert "kept 5 utterances, dropped 1" in out
    assert validate_data_dir(data_dir) == 5
    assert (data_dir / "bad_utts").read_text() == \
        "spk1-utt1 fix_data_dir: not in utt2emo\n"


def test_partition_is_balanced_and_contiguous():
    assert partition([1] * 10, 3) == [(0, 4), (4, 7), (7, 10)]
    assert partition([5, 1, 1, 1, 1, 1], 2) == [(0, 1), (1, 6)]
    assert partition([3, 3], 2) == [(0, 1), (1, 2)]
    with pytest.raises(ValueError):
        partition([1, 1], 3)


def test_split_by_speaker_and_by_utterance(tmp_path):
    d = make_data_dir(tmp_path / "d", n_spk=3, n_utt=2)
    parts = run_util("split_data.py", d, 3).stdout.split()
    assert [p.rsplit("/", 2)[-2:] for p in parts] == [["split3", "1"], ["split3", "2"], ["split3", "3"]]
    spks = [set(DataDir.load(p).utt2spk.values()) for p in parts]
    assert spks == [{"spk1"}, {"spk2"}, {"spk3"}]
    for p in parts:
        validate_data_dir(p)
    parts = run_util("split_data.py", "--per-utt", d, 4).stdout.split()
    assert sum(len(DataDir.load(p).utts) for p in parts) == 6
    failed = run_util("split_data.py", d, 4, check=False)
    assert failed.returncode == 1 and "cannot split 3 groups into 4 parts" in failed.stderr


def test_subset_selectors(data_dir, tmp_path):
    run_util("subset_data_dir.py", "--first", 2, data_dir, tmp_path / "a")
    assert DataDir.load(tmp_path / "a").utts == ["spk1-utt1", "spk1-utt2"]
    (tmp_path / "spk").write_text("spk2\n")
    run_util("subset_data_dir.py", "--spk-list", tmp_path / "spk", data_dir, tmp_path / "b")
    assert DataDir.load(tmp_path / "b").utts == ["spk2-utt1", "spk2-utt2", "spk2-utt3"]
    validate_data_dir(tmp_path / "b")
    (tmp_path / "utts").write_text("spk1-utt3\nspk9-utt1\n")
    failed = run_util("subset_data_dir.py", "--utt-list", tmp_path / "utts", data_dir,
                      tmp_path / "c", check=False)
    assert failed.returncode == 1 and "utts:2: utterance 'spk9-utt1' is not in" in failed.stderr


def test_combine_keeps_common_tables_and_rejects_duplicates(tmp_path):
    a = make_data_dir(tmp_path / "a", n_spk=1, n_utt=2)
    b = make_data_dir(tmp_path / "b", n_spk=2, n_utt=1, with_labels=False)
    write_table(b / "utt2spk", [("spk2-utt1", "spk2"), ("spk3-utt1", "spk3")])
    write_table(b / "spk2utt", [("spk2", "spk2-utt1"), ("spk3", "spk3-utt1")])
    write_table(b / "wav.scp", [("spk2-utt1", b / "wav/spk1-utt1.wav"),
                                ("spk3-utt1", b / "wav/spk2-utt1.wav")])
    out = run_util("combine_data.py", tmp_path / "c", a, b).stdout
    assert "wrote 4 utterances" in out and "left out: utt2arousal" in out
    assert validate_data_dir(tmp_path / "c") == 4
    failed = run_util("combine_data.py", tmp_path / "d", a, a, check=False)
    assert failed.returncode == 1 and "is also in" in failed.stderr
