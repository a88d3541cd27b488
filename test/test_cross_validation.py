"""Cross-validation sets, derived feature stamps and pooled fold scores
(the MRD paper's train-on-target upper bound)."""
import json
import subprocess
import sys

import numpy as np
import pytest
import yaml
from scipy.stats import pearsonr

from conftest import UTILS, make_data_dir, run_env
from serda.config import config_to_dict, load_config
from serda.data.datadir import DataDir
from serda.data.folds import cv_roles
from serda.data.table import write_table
from serda.errors import SerdaError


def run_util(name, *args, check=True):
    return subprocess.run([sys.executable, str(UTILS / name), *map(str, args)],
                          capture_output=True, text=True, env=run_env(), check=check)


def sessions(root, n=4):
    """n data dirs of 2 speakers (f, m) each, distinct ids, each with a .done stamp."""
    dirs = []
    for k in range(1, n + 1):
        d = make_data_dir(root / f"toy_ses{k}", n_spk=2, n_utt=3)
        for name in ("utt2spk", "wav.scp", "utt2gender", "utt2lang", "utt2emo", "utt2arousal"):
            rows = (d / name).read_text().splitlines()
            if name == "utt2spk":  # speakers of a session are its own
                rows = [r.replace(" ", f" s{k}") for r in rows]
            (d / name).write_text("".join(f"s{k}{r}\n" for r in rows))
        (d / "spk2utt").unlink()
        DataDir.load(d).save(d)
        (d / ".done").write_text(f"feat=is10 src=session{k}\n")
        dirs.append(d)
    return dirs


def test_cv_roles_test_each_fold_once_with_the_next_as_dev():
    assert cv_roles(4) == [(0, 1, [2, 3]), (1, 2, [0, 3]), (2, 3, [0, 1]), (3, 0, [1, 2])]
    with pytest.raises(SerdaError, match="at least 3 folds"):
        cv_roles(2)


def test_cv_sets_over_sessions_are_speaker_independent(tmp_path):
    dirs = sessions(tmp_path)
    out = run_util("make_cv_sets.py", *dirs, tmp_path / "toy_cv").stdout
    assert out.count("make_cv_sets: ") == 4
    spk = [set(DataDir.load(d).utt2spk.values()) for d in dirs]
    tested = []
    for f in range(1, 5):
        train, dev, test = (DataDir.load(tmp_path / f"toy_cv{f}_{s}") for s in ("train", "dev", "test"))
        assert set(test.utt2spk.values()) == spk[f - 1]
        assert set(dev.utt2spk.values()) == spk[f % 4]
        assert set(train.utt2spk.values()) == set().union(*spk) - spk[f - 1] - spk[f % 4]
        tested += test.utts
    assert sorted(tested) == sorted(u for d in dirs for u in DataDir.load(d).utts)
    assert run_util("check_split_overlap.py", tmp_path / "toy_cv1_train",
                    tmp_path / "toy_cv1_dev", tmp_path / "toy_cv1_test").returncode == 0


def test_derived_stamp_follows_its_inputs(tmp_path):
    dirs = sessions(tmp_path, 3)
    run_util("combine_data.py", tmp_path / "all", *dirs)
    first = (tmp_path / "all" / ".done").read_text()
    assert first.startswith("combined from ") and str(dirs[0]) in first
    run_util("combine_data.py", tmp_path / "all", *dirs)
    assert (tmp_path / "all" / ".done").read_text() == first          # same inputs, same stamp
    (dirs[1] / ".done").write_text("feat=is10 src=re-extracted\n")
    run_util("combine_data.py", tmp_path / "all", *dirs)
    assert (tmp_path / "all" / ".done").read_text() != first          # an input changed
    (tmp_path / "spk").write_text("s1spk1\n")
    run_util("subset_data_dir.py", "--spk-list", tmp_path / "spk", dirs[0], tmp_path / "sub")
    assert (tmp_path / "sub" / ".done").read_text().startswith("subset from ")
    (dirs[2] / ".done").unlink()                                      # unfinished input
    run_util("combine_data.py", tmp_path / "all", *dirs)
    assert not (tmp_path / "all" / ".done").exists()


def test_speaker_folds_are_gender_balanced(tmp_path):
    d = make_data_dir(tmp_path / "toy_all", n_spk=6, n_utt=2)   # spk1 f, spk2 m, ...
    run_util("make_cv_sets.py", "--speaker-folds", 3, "--fold-prefix", tmp_path / "toy_fold",
             d, tmp_path / "toy_cv")
    genders = DataDir.load(d).tables["utt2gender"]
    for k in (1, 2, 3):
        fold = DataDir.load(tmp_path / f"toy_fold{k}")
        assert len(set(fold.utt2spk.values())) == 2
        assert sorted(genders[u] for u in fold.utts) == ["f", "f", "m", "m"]
    assert not list(tmp_path.glob("*.utts"))                          # temporary lists removed
    bad = run_util("make_cv_sets.py", "--speaker-folds", 7, "--fold-prefix", tmp_path / "x",
                   d, tmp_path / "y", check=False)
    assert bad.returncode == 1 and "folds must be between 2 and the number of speakers (6)" in bad.stderr


def fold_system(root, name, test_dir, preds, method="source_only"):
    """A decoded fold system: config.yaml and trial<k>/decode_<set>/pred."""
    cfg = load_config(None, [f"method={method}", "train.train_on=target",
                             "task.attribute=arousal", f"data.target_test={test_dir}"])
    sys_dir = root / name
    sys_dir.mkdir(parents=True)
    (sys_dir / "config.yaml").write_text(yaml.safe_dump(config_to_dict(cfg)))
    for k, pred in enumerate(preds, 1):
        dec = sys_dir / f"trial{k}" / f"decode_{test_dir.name}"
        dec.mkdir(parents=True)
        write_table(dec / "pred", {u: f"{v:.6g}" for u, v in pred.items()})
    return sys_dir


def test_pooled_folds_score_the_whole_corpus(tmp_path):
    dirs = sessions(tmp_path, 3)
    run_util("combine_data.py", tmp_path / "toy_all", *dirs)
    rng = np.random.default_rng(0)
    labels = {}
    for d in dirs:
        labels.update({u: float(v) for u, v in DataDir.load(d).tables["utt2arousal"].items()})
    preds = [{u: rng.normal() for u in DataDir.load(d).utts} for d in dirs for _ in (0,)]
    preds2 = [{u: v + rng.normal(0, 0.1) for u, v in p.items()} for p in preds]
    folds = [fold_system(tmp_path / "exp", f"cv{f + 1}", dirs[f], [preds[f], preds2[f]])
             for f in range(3)]
    r = subprocess.run([sys.executable, "-m", "serda.bin.pool_folds", "--folds", *map(str, folds),
                        "--data", str(tmp_path / "toy_all"), "--out", str(tmp_path / "exp/target")],
                       capture_output=True, text=True, env=run_env())
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("18 utterances from 3 folds") == 2
    for k, trial_preds in ((1, preds), (2, preds2)):
        pooled = {u: v for p in trial_preds for u, v in p.items()}
        utts = sorted(pooled)
        p = np.array([float(f"{pooled[u]:.6g}") for u in utts])
        y = (np.array([labels[u] for u in utts]) - 3.0) * 1.5        # scale_to_pm3 of [1, 5]
        ccc = 2 * np.cov(y, p, bias=True)[0, 1] / (y.var() + p.var() + (y.mean() - p.mean()) ** 2)
        m = json.loads((tmp_path / f"exp/target/trial{k}/decode_toy_all/metrics.json").read_text())
        assert m["n"] == 18 and m["set"] == "target_test" and len(m["folds"]) == 3
        assert m["ccc"] == pytest.approx(ccc, abs=1e-6)
        assert m["pr"] == pytest.approx(pearsonr(y, p)[0], abs=1e-6)
        assert m["rmse"] == pytest.approx(np.sqrt(np.mean((y - p) ** 2)), abs=1e-5)
    cfg = yaml.safe_load((tmp_path / "exp/target/config.yaml").read_text())
    assert cfg["data"]["target_test"] == str(tmp_path / "toy_all")
    # the pooled system is a system like any other for the report
    rep = subprocess.run([sys.executable, "-m", "serda.bin.report", "--exp", str(tmp_path / "exp"),
                          "--systems", "target", "--metrics", "pr", "ccc", "--percent"],
                         capture_output=True, text=True, env=run_env())
    assert rep.returncode == 0, rep.stderr
    assert "| target | source_only | target |" in rep.stdout


def test_pooling_refuses_inconsistent_folds(tmp_path):
    dirs = sessions(tmp_path, 3)
    run_util("combine_data.py", tmp_path / "toy_all", *dirs)
    utts = [DataDir.load(d).utts for d in dirs]
    pred = [{u: 0.5 * i for i, u in enumerate(us)} for us in utts]

    def pool(folds, data=tmp_path / "toy_all"):
        return subprocess.run([sys.executable, "-m", "serda.bin.pool_folds", "--folds",
                               *map(str, folds), "--data", str(data), "--out",
                               str(tmp_path / "pooled")], capture_output=True, text=True,
                              env=run_env())

    ok = [fold_system(tmp_path / "a", f"cv{f}", dirs[f], [pred[f]]) for f in range(3)]
    twice = fold_system(tmp_path / "b", "cv3", dirs[0], [pred[0]])    # fold 1 tested again
    r = pool(ok[:2] + [twice])
    assert r.returncode == 1 and "is also tested in" in r.stderr
    r = pool(ok[:2])                                                   # a fold missing
    assert r.returncode == 1 and "miss 6 of its 18" in r.stderr
    fewer = fold_system(tmp_path / "c", "cv3", dirs[2], [pred[2], pred[2]])
    r = pool(ok[:2] + [fewer])
    assert r.returncode == 1 and "has predictions of trials [1, 2]" in r.stderr
    other = fold_system(tmp_path / "d", "cv3", dirs[2], [pred[2]], method="dann")
    r = pool(ok[:2] + [other])
    assert r.returncode == 1 and "beyond its data sets" in r.stderr
