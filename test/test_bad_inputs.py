"""Nothing lost, nothing silently wrong: each case a careful user reported.

Every case ends in a clear error naming the file and line or utterance, or
in a logged skip; where utterances flow through a stage, every input
utterance is in feats.scp or bad_utts (count conservation).
"""
import fcntl
import os
import shutil
import subprocess
import sys

import kaldiio
import numpy as np
import pytest
import soundfile as sf
import torch

from conftest import REPO, UTILS, make_data_dir, run_env, write_table
from serda.atomic import DiskError
from serda.data.datadir import DataDir
from serda.data.features import compute_corpus_stats, load_utterance_matrix
from serda.data.table import read_table
from serda.errors import InputError
from serda.features.extract import extract_shard
from serda.features.extractors import make_extractor
from serda.train.checkpoint import save_checkpoint
from serda.train.trial_log import TrialLog

RECIPE = REPO / "egs" / "mini_en2de" / "dann"


def sh(*args, cwd=RECIPE, check=False):
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          env=run_env(), check=check)


def conserved(src, dest):
    """Every utterance of ``src`` is in dest's feats.scp or bad_utts, once."""
    feats = set(read_table(dest / "feats.scp"))
    bad = set(read_table(dest / "bad_utts")) if (dest / "bad_utts").is_file() else set()
    assert not feats & bad
    assert feats | bad == set(DataDir.load(src).utts)


def vectors(path, n=6, dim=5, nan_at=None):
    path.mkdir(parents=True)
    utts = [f"s{i % 2}-u{i}" for i in range(n)]
    with kaldiio.WriteHelper(f"ark,scp:{path}/feats.ark,{path}/feats.scp") as w:
        for i, u in enumerate(utts):
            x = np.arange(dim, dtype=np.float32) + i
            if nan_at is not None and i == nan_at:
                x[1:4] = np.nan
            w(u, x)
    write_table(path / "utt2spk", [(u, u.split("-")[0]) for u in utts])
    (path / "attributes.yaml").write_text("corpus: toy\n")
    return path, utts


# 1 ------------------------------------------------------------------------
def test_1_a_nan_in_features_stops_stage_3_naming_utterance_and_dims(tmp_path):
    d, utts = vectors(tmp_path / "train", nan_at=2)
    with pytest.raises(InputError, match=rf"train/feats.scp: non-finite values in the features "
                                         rf"in 1 utterance\(s\) \({utts[2]}\), dim\(s\) 1, 2, 3"):
        compute_corpus_stats([d], [d])
    assert not (d / "norm_stats.npz").exists()
    r = sh(sys.executable, "-m", "serda.bin.compute_norm_stats", "--fit", d)
    assert r.returncode == 1 and utts[2] in r.stderr and "Traceback" not in r.stderr
    # one added after stage 3 is refused when the features are loaded, named too
    ok, ok_utts = vectors(tmp_path / "ok")
    compute_corpus_stats([ok], [ok])
    (ok / "feats.scp").write_text("".join(f"{u} {v}\n" for u, v in
                                          read_table(d / "feats.scp").items()))
    with pytest.raises(InputError, match=rf"\({utts[2]}\), dim\(s\) 1, 2, 3"):
        load_utterance_matrix(ok, "zscore")
    r = sh(UTILS / "validate_data_dir.py", "--check-feats", ok)
    assert r.returncode == 1 and f"{utts[2]}: 3 non-finite value(s) in dim(s) 1, 2, 3" in r.stderr


# 2 ------------------------------------------------------------------------
def test_2_a_changed_nj_after_an_interrupted_extraction_finishes_the_rest(tmp_path):
    src = make_data_dir(tmp_path / "src", n_spk=3, n_utt=4)
    dest = tmp_path / "f"
    assert sh("utils/make_feats.sh", "--nj", "4", "--feat", "egemaps", src, dest).returncode == 0
    (dest / ".done").unlink()
    (dest / "data" / "feats.1.2.scp").unlink()              # shard 2 was killed
    r = sh("utils/make_feats.sh", "--nj", "2", "--feat", "egemaps", src, dest)
    assert r.returncode == 0, r.stderr
    assert "3 finished shard(s) holding 9 of 12 utterances; 3 left to extract" in r.stderr
    assert "extracting egemaps for 3 utterances" in r.stdout
    conserved(src, dest)
    again = sh("utils/make_feats.sh", "--nj", "3", "--feat", "egemaps", src, dest)
    assert "is complete" in again.stdout
    bad_nj = sh("utils/make_feats.sh", "--nj", "-1", src, tmp_path / "g")
    assert bad_nj.returncode == 1 and "--nj takes a whole number >= 1, not '-1'" in bad_nj.stderr


# 3 ------------------------------------------------------------------------
@pytest.mark.parametrize("override, message", [
    ("train.epochs=0", "'train.epochs' must be >= 1, not 0"),
    ("adapt.grl.schedule=linaer", "'adapt.grl.schedule' must be one of"),
    ("model.encoder.activation=rellu", "'model.encoder.activation' must be one of relu, selu"),
])
def test_3_config_values_are_refused_before_any_job(tmp_path, override, message):
    r = sh(sys.executable, "-m", "serda.bin.resolve_config", "--conf", RECIPE / "conf/dann.yaml",
           "--out", tmp_path / "exp/dann/config.yaml", override)
    assert r.returncode == 1 and message in r.stderr and "conf/dann.yaml" in r.stderr
    assert not (tmp_path / "exp").exists()


# 4 ------------------------------------------------------------------------
def test_4_a_wav_scp_line_without_utt2spk_is_reported_not_lost(tmp_path):
    src = make_data_dir(tmp_path / "src", n_spk=1, n_utt=3)
    lines = (src / "wav.scp").read_text().splitlines()
    extra = tmp_path / "orphan.wav"
    shutil.copy(lines[0].split()[1], extra)
    (src / "wav.scp").write_text("\n".join(lines + [f"spk1-utt9 {extra}"]) + "\n")
    r = sh(UTILS / "validate_data_dir.py", src)
    assert r.returncode == 1 and "wav.scp:4: utterance 'spk1-utt9' has no utt2spk line" in r.stderr
    r = sh("utils/make_feats.sh", "--feat", "egemaps", src, tmp_path / "f")
    assert r.returncode == 1 and "spk1-utt9" in r.stderr and "Traceback" not in r.stderr
    assert "not a consistent data dir" in r.stderr
    fix = sh(UTILS / "fix_data_dir.py", src)
    assert "dropped 1" in fix.stdout
    assert "spk1-utt9 fix_data_dir: not in utt2arousal, utt2emo, utt2gender, utt2lang, utt2spk" \
        in fix.stdout                                   # every file that lacked it
    assert "spk1-utt9" in (src / "bad_utts").read_text()
    # the reverse: an utt2spk line without audio
    rev = make_data_dir(tmp_path / "rev", n_spk=1, n_utt=3)
    (rev / "wav.scp").write_text("\n".join((rev / "wav.scp").read_text().splitlines()[1:]) + "\n")
    r = sh("utils/make_feats.sh", "--feat", "egemaps", rev, tmp_path / "g")
    assert r.returncode == 1 and "'spk1-utt1' has no audio entry" in r.stderr
    assert "Traceback" not in r.stderr and "KeyError" not in r.stderr


# 5 ------------------------------------------------------------------------
def full_disk(path):
    """Make the next write of ``path`` (through its temporary file) hit a full disk."""
    from serda.atomic import tmp_name
    os.symlink("/dev/full", tmp_name(path))


def test_5_a_full_disk_is_one_line_naming_the_file_and_leaves_no_temporary(tmp_path):
    ckpt = tmp_path / "trial1" / "last.pt"
    ckpt.parent.mkdir()
    full_disk(ckpt)
    with pytest.raises(DiskError, match=rf"cannot write {ckpt}: no space left on device"):
        save_checkpoint({"w": torch.randn(300, 300)}, ckpt)
    assert list(ckpt.parent.iterdir()) == []
    # metrics.jsonl is appended to (a log, rewritten from the checkpoint on resume)
    log = TrialLog(tmp_path / "trial1", "last", True, 1)
    os.symlink("/dev/full", tmp_path / "trial1" / "metrics.jsonl")
    with pytest.raises(DiskError, match="metrics.jsonl: no space left on device"):
        log.add({"epoch": 0, "main/task": 1.0}, dict)
    (tmp_path / "trial1" / "metrics.jsonl").unlink()
    assert list(ckpt.parent.iterdir()) == []
    # an ark on a full disk: the shard's files go, the error names the ark
    src = make_data_dir(tmp_path / "src", n_spk=1, n_utt=2)
    os.makedirs(tmp_path / "shards")
    os.symlink("/dev/full", tmp_path / "shards" / "feats.1.1.ark")
    with pytest.raises(DiskError, match=r"feats.1.1.ark: no space left on device"):
        extract_shard(src, tmp_path / "shards" / "feats.1.1", make_extractor("egemaps"))
    assert list((tmp_path / "shards").iterdir()) == []
    # a killed run's temporary files are removed by the next run of that trial
    from serda.train.loop import clear_stale
    stale = [ckpt.with_name("last.pt.tmp4242"), ckpt.with_name("model.pt.tmp77")]
    for p in stale:
        p.write_bytes(b"half a checkpoint")
    clear_stale(ckpt, [ckpt.parent])
    assert not any(p.exists() for p in stale)


# 6 ------------------------------------------------------------------------
def test_6_options_stage_nj_and_config_file_are_checked(tmp_path):
    for args, message in ((["--stage", "two"], "--stage takes a whole number >= 0, not 'two'"),
                          (["--nj", "-1"], "--nj takes a whole number >= 1, not '-1'")):
        r = sh("./run.sh", "--datadir", tmp_path / "d", *args)
        assert r.returncode == 1 and message in r.stderr
    conf = tmp_path / "opts.conf"
    conf.write_text("nj=2\nstop_stagee=3\n")
    r = sh("./run.sh", "--config", conf)
    assert r.returncode == 1 and f"{conf}:2: 'stop_stagee' is not an option" in r.stderr


def test_6_an_out_of_scale_label_names_the_corpus_label_file_and_line(tmp_path, tiny_corpus):
    root, _ = tiny_corpus
    corpus = tmp_path / "corpus"
    shutil.copytree(root, corpus)
    labels = corpus / "labels.csv"
    lines = labels.read_text().splitlines()
    first = next(i for i, line in enumerate(lines) if not line.startswith("#")) + 1  # a row
    fields = lines[first].split(",")
    from serda.simulate.corpus import COLUMNS
    fields[COLUMNS.index("arousal")] = "7.5"
    lines[first] = ",".join(fields)
    labels.write_text("\n".join(lines) + "\n")
    r = sh(sys.executable, "-m", "serda.bin.prepare_data", "--corpus", "synth", "--root", corpus,
           "--out", tmp_path / "data", "--name", "mini_en")
    assert r.returncode == 1
    assert f"{labels.resolve()}:{first + 1}: arousal 7.5 of" in r.stderr
    assert "outside the corpus' scale [1, 5]" in r.stderr
    assert not list((tmp_path / "data").glob(".*tmp*"))


def test_6_silent_audio_goes_to_bad_utts_with_the_rule(tmp_path):
    src = make_data_dir(tmp_path / "src", n_spk=1, n_utt=3)
    wavs = read_table(src / "wav.scp")
    sf.write(wavs["spk1-utt2"], np.zeros(8000), 16000, subtype="PCM_16")
    sf.write(wavs["spk1-utt3"], 1e-4 * np.random.default_rng(0).standard_normal(8000), 16000)
    r = sh("utils/make_feats.sh", "--nj", "1", "--feat", "egemaps", src, tmp_path / "f")
    assert r.returncode == 0, r.stderr
    bad = read_table(tmp_path / "f" / "bad_utts")
    assert "silent: RMS -inf dBFS < -70 dBFS" in bad["spk1-utt2"]
    assert "silent: RMS -79.8 dBFS < -70 dBFS" in bad["spk1-utt3"]   # noise at -80 dBFS
    conserved(src, tmp_path / "f")
    v = sh(UTILS / "validate_data_dir.py", "--check-audio", src)
    assert v.returncode == 1 and "spk1-utt2: silent" in v.stderr


def test_6_a_second_run_on_the_same_dirs_stops_naming_the_holder(tmp_path):
    exp = tmp_path / "exp"
    exp.mkdir()
    with open(exp / ".serda.lock", "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        (exp / ".serda.lock.owner").write_text("pid 12345, started now: ./run.sh --stage 4")
        env = run_env()
        env.update(MINI_EN=str(tmp_path / "x"), MINI_DE=str(tmp_path / "y"))
        r = subprocess.run(["./run.sh", "--stage", "4", "--expdir", str(exp)], cwd=RECIPE,
                           capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 1
    assert f"another run is writing experiments in {exp}: pid 12345" in r.stderr
    assert "./run.sh --stage 4" in r.stderr
