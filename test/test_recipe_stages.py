"""End to end: the mini recipe's stages 0-3 on a tiny synthetic pair."""
import os
import subprocess
import sys
import time

import kaldiio
import numpy as np
import yaml

from conftest import REPO, run_env
from serda.data.features import load_utterance_matrix
from serda.data.validate import validate_data_dir

RECIPE = REPO / "egs" / "mini_en2de" / "dann"
SETS = ("mini_en_train", "mini_en_dev", "mini_en_test", "mini_de_train", "mini_de_dev",
        "mini_de_test", "mini_de_unlab")


def run_recipe(tmp, *args):
    env = run_env()
    env.update(MINI_EN=str(tmp / "corpora" / "mini_en"), MINI_DE=str(tmp / "corpora" / "mini_de"))
    return subprocess.run(
        ["./run.sh", "--datadir", str(tmp / "data"), "--dumpdir", str(tmp / "dump"),
         "--sim-opts", "--utts-per-speaker 2 --unlab-per-speaker 2", *args],
        cwd=RECIPE, capture_output=True, text=True, env=env)


def test_stages_0_to_3_then_rerun_skips(tmp_path):
    r = run_recipe(tmp_path, "--stop-stage", "3")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    for s in SETS:
        d = tmp_path / "dump" / "is13" / s
        n = validate_data_dir(d)
        train = 24 if s.startswith("mini_de") else 12      # German: 12 train speakers
        assert n == {"train": train, "dev": 4, "test": 8, "unlab": 8}[s.split("_")[-1]]
        feats = kaldiio.load_scp(str(d / "feats.scp"))
        assert len(feats) == n and next(iter(feats.values())).shape == (6373,)
        assert (d / "norm_stats.npz").is_file()
        _, x = load_utterance_matrix(d, "abdelwahab")
        assert x.shape == (n, 6373) and np.isfinite(x).all() and np.abs(x).max() <= 10
    # English statistics come from its train set only, German from train + unlab
    en = np.load(tmp_path / "dump/is13/mini_en_test/norm_stats.npz")
    de = np.load(tmp_path / "dump/is13/mini_de_test/norm_stats.npz")
    assert int(en["count"]) == 12 and int(de["count"]) == 24 + 8
    assert "mini_en_unlab" not in os.listdir(tmp_path / "dump" / "is13")

    start = time.time()
    again = run_recipe(tmp_path, "--stop-stage", "3")
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("skipping") == 2 + 7 + 2   # prep, features, statistics
    assert "extracting" not in again.stdout
    assert time.time() - start < 30

    # a set pooling both corpora (paper 1's "All" source): stage 3 gives it each
    # corpus' own statistics, so its rows equal the rows of the corpora's own sets
    dump = tmp_path / "dump" / "is13"
    subprocess.run([sys.executable, str(REPO / "utils" / "combine_data.py"), str(dump / "pool_train"),
                    str(dump / "mini_en_train"), str(dump / "mini_de_train")],
                   check=True, capture_output=True, env=run_env())
    pooled = run_recipe(tmp_path, "--stage", "3", "--stop-stage", "3",
                        "--feat-sets", " ".join(SETS + ("pool_train",)))
    assert pooled.returncode == 0, pooled.stderr
    assert sorted(p.name for p in (dump / "pool_train" / "norm_stats_by_corpus").glob("*.npz")) \
        == ["mini_de.npz", "mini_en.npz"]
    utts, x = load_utterance_matrix(dump / "pool_train", "abdelwahab")
    own = {}
    for s in ("mini_en_train", "mini_de_train"):
        own.update(zip(*load_utterance_matrix(dump / s, "abdelwahab")))
    np.testing.assert_array_equal(x, np.stack([own[u] for u in utts]))


def test_training_stages_4_to_6_report_every_system(tmp_path):
    r = run_recipe(tmp_path, "--expdir", str(tmp_path / "exp"), "--ntrials", "2",
                   "--train-args", "train.epochs=3 train.batch_size=8",
                   "--shared-args", "optim.lr=1e-3",
                   "--systems", "conf/target.yaml conf/src.yaml conf/dann.yaml "
                                "dann2=conf/dann.yaml,model.encoder.layers=2")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    exp = tmp_path / "exp" / "arousal"
    suffix = "_train.epochs=3_train.batch_size=8"     # overrides name the systems
    two = (exp / f"dann2{suffix}" / "config.yaml").read_text()
    assert "layers: 2" in two and "lr: 0.001" in two     # its own and the shared overrides
    assert "lr: 0.001" in (exp / f"src{suffix}" / "config.yaml").read_text()
    for system in ("target" + suffix, "src" + suffix, "dann" + suffix, "dann2" + suffix):
        for k in (1, 2):
            trial = exp / system / f"trial{k}"
            assert (trial / "model.pt").is_file() and (trial / "metrics.jsonl").is_file()
            assert (trial / "decode_mini_de_test" / "pred").read_text().count("\n") == 8
        config = (exp / system / "config.yaml").read_text()
        assert config.startswith("# serda commit: ") and "# command: " in config
    table = (exp / "RESULTS.md").read_text()
    for row in (f"| target{suffix} | source_only | target |", f"| src{suffix} | source_only | source |",
                f"| dann{suffix} | dann | source |"):
        assert row in table
    # a changed config under the same system name is refused, not silently mixed
    conf = RECIPE / "conf" / "src.yaml"
    resolved = yaml.safe_load((exp / f"src{suffix}" / "config.yaml").read_text())
    data = [f"data.{k}={v}" for k, v in resolved["data"].items() if v and k != "norm"]
    r = subprocess.run([sys.executable, "-m", "serda.bin.resolve_config", "--conf", str(conf),
                        "--out", str(exp / f"src{suffix}" / "config.yaml"), "train.epochs=9",
                        *data], capture_output=True, text=True, env=run_env())
    assert r.returncode == 1 and "trained with another config" in r.stderr
    waves_of_experiments(tmp_path)


WAVES = """#!/usr/bin/env bash
# experiment 2 fine-tunes from experiment 1's system: it waits for it
echo "$1 $experiments_done" >> asked
case $1 in
  1) printf -- '--tag first --systems conf/src.yaml' ;;
  2) if [ "$experiments_done" -lt 1 ]; then echo wait
     else printf -- '--tag second --systems ft=conf/src.yaml,train.init_from=%s' "$expdir/first/src"; fi ;;
  3) printf -- '--tag third --systems conf/dann.yaml' ;;
esac
"""


def waves_of_experiments(tmp):
    """local/experiments.sh's `wait`: the experiments before it run first, then the
    script is asked again with experiments_done; the next wave's systems are
    submitted together; a `wait` with nothing before it is refused."""
    recipe = tmp / "recipe"
    (recipe / "local").mkdir(parents=True)
    for name in ("cmd.sh", "db.sh", "path.sh", "serda.sh", "utils", "conf"):
        (recipe / name).symlink_to((RECIPE / name).resolve())
    (recipe / "local/experiments.sh").write_text(WAVES)
    (recipe / "local/experiments.sh").chmod(0o755)
    env = run_env()
    args = ["./serda.sh", "--corpora", "synth:mini_en synth:mini_de", "--stage", "4",
            "--datadir", str(tmp / "data"), "--dumpdir", str(tmp / "dump"), "--feat", "is13",
            "--expdir", str(tmp / "waves"), "--source", "mini_en", "--target", "mini_de",
            "--shared-args", "train.epochs=2 train.trials=1 train.batch_size=8"]
    env.update(MINI_EN="unused", MINI_DE="unused")
    r = subprocess.run(args, cwd=recipe, capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    # stage 4's check stops at the wait; wave 1 = experiment 1, wave 2 = experiments 2-3
    assert (recipe / "asked").read_text().split("\n")[:6] == ["1 0", "2 0", "1 0", "2 0",
                                                               "2 1", "3 1"]
    jobs = tmp / "waves/jobs"
    assert len((jobs / "train.1.tasks").read_text().splitlines()) == 1
    assert sorted(line.split("\t")[0] for line in
                  (jobs / "train.3.tasks").read_text().splitlines()) == \
        [f"{tmp}/waves/second/ft/log/train.1.log", f"{tmp}/waves/third/dann/log/train.1.log"]
    assert (tmp / "waves/second/ft/trial1/decode_mini_de_test/pred").is_file()
    assert "| ft |" in (tmp / "waves/second/RESULTS.md").read_text()
    # a rerun submits nothing to train
    (recipe / "asked").unlink()
    r = subprocess.run(args, cwd=recipe, capture_output=True, text=True, env=env)
    assert r.returncode == 0 and "training job(s)" not in r.stdout
    assert r.stdout.count("trained, skipping") == 3
    (recipe / "local/experiments.sh").write_text("#!/usr/bin/env bash\necho wait\n")
    r = subprocess.run(args, cwd=recipe, capture_output=True, text=True, env=env)
    assert r.returncode == 1
    assert "local/experiments.sh 1 printed 'wait' with no experiment before it" in r.stderr


def test_filterbank_features_with_the_frame_level_encoder_run_stages_2_to_6(tmp_path):
    """--feat fbank: fixed-length rows (src) and segment rows (dann) through conv_pool."""
    r = run_recipe(tmp_path, "--feat", "fbank", "--expdir", str(tmp_path / "exp"),
                   "--tag", "frames", "--systems", "conf/frames_src.yaml conf/frames_dann.yaml",
                   "--baseline", "frames_src",
                   "--shared-args", "train.epochs=2 train.trials=2 train.batch_size=8")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    d = tmp_path / "dump" / "fbank" / "mini_de_test"
    mats = kaldiio.load_scp(str(d / "feats.scp"))
    assert next(iter(mats.values())).shape[1] == 26 and (d / "utt2num_frames").is_file()
    exp = tmp_path / "exp" / "frames"
    table = (exp / "RESULTS.md").read_text()
    assert "| frames_src | source_only | source |" in table and "| frames_dann | dann |" in table
    for system in ("frames_src", "frames_dann"):
        pred = (exp / system / "trial2" / "decode_mini_de_test" / "pred").read_text()
        assert pred.count("\n") == 8                  # one decision per utterance
    summary = (exp / "frames_dann" / "trial1" / "summary.json").read_text()
    assert '"input_shape": [\n  100,\n  26\n ]' in summary


def test_a_bad_config_value_stops_stage_4_before_any_job(tmp_path):
    r = run_recipe(tmp_path, "--stage", "4", "--expdir", str(tmp_path / "exp"),
                   "--shared-args", "train.epochs=0")
    assert r.returncode == 1
    assert "conf/target.yaml" in r.stderr and "'train.epochs' must be >= 1, not 0" in r.stderr
    exp = tmp_path / "exp"                           # no config written, no job log
    assert not list(exp.rglob("config.yaml")) and not list(exp.rglob("*.log"))
    r = run_recipe(tmp_path, "--stage", "two")
    assert r.returncode == 1 and "--stage takes a whole number" in r.stderr


def test_partial_feature_stage_is_completed(tmp_path):
    assert run_recipe(tmp_path, "--stop-stage", "2").returncode == 0
    d = tmp_path / "dump" / "is13" / "mini_de_unlab"
    (d / ".done").unlink()
    (d / "feats.scp").unlink()
    (d / "data" / "feats.1.2.scp").unlink()        # job 2 "died"
    r = run_recipe(tmp_path, "--stage", "2", "--stop-stage", "2")
    assert r.returncode == 0, r.stderr
    assert "holding 4 of 8 utterances; 4 left to extract" in r.stderr
    assert (d / "log" / "extract.2.1.log").is_file()        # a second run for the rest
    assert validate_data_dir(d) == 8


def test_missing_corpus_path_stops_before_any_work(tmp_path):
    env = run_env()
    env["IEMOCAP"] = ""
    env["MINI_EN"] = str(tmp_path / "x")
    r = subprocess.run(["./run.sh", "--datadir", str(tmp_path / "data"),
                        "--corpora", "synth:mini_en iemocap"], cwd=RECIPE,
                       capture_output=True, text=True, env=env)
    assert r.returncode == 1
    assert "Fill the value of IEMOCAP in egs/db.sh" in r.stderr
    assert not (tmp_path / "data").exists() and not (tmp_path / "x").exists()


def test_undeclared_option_is_refused():
    r = subprocess.run(["./run.sh", "--stop_stage", "3", "--no-such-option", "1"], cwd=RECIPE,
                       capture_output=True, text=True, env=run_env())
    assert r.returncode == 1 and "undeclared option '--no-such-option'" in r.stderr
