"""Training, resume after SIGKILL, decoding and reporting on tiny feature sets."""
import json
import os
import signal
import subprocess
import sys
import time

import kaldiio
import numpy as np
import pytest

from conftest import run_env
from serda.data.features import compute_corpus_stats
from serda.data.table import write_table


def feature_dir(path, n, seed, shift=0.0, labels=True):
    """A data dir with 20-dim features whose arousal depends on feature 0."""
    path.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 20)).astype(np.float32) + shift
    arousal = np.clip(3 + 1.5 * (x[:, 0] - shift) + rng.normal(0, 0.3, n), 1, 5)
    utts = [f"s{i % 4}-u{i:03d}" for i in range(n)]
    with kaldiio.WriteHelper(f"ark,scp:{path}/feats.ark,{path}/feats.scp") as w:
        for u, v in zip(utts, x):
            w(u, v)
    write_table(path / "utt2spk", {u: u.split("-")[0] for u in utts})
    if labels:
        write_table(path / "utt2arousal", {u: f"{a:.3f}" for u, a in zip(utts, arousal)})
        (path / "attributes.yaml").write_text("attributes:\n  arousal: {scale: [1, 5]}\n")
    return path


@pytest.fixture(scope="module")
def exp(tmp_path_factory):
    root = tmp_path_factory.mktemp("train")
    sets = {"source_train": (80, 0, 0.0), "source_dev": (30, 1, 0.0), "source_test": (30, 2, 0.0),
            "target_train": (60, 3, 1.0), "target_dev": (30, 4, 1.0), "target_test": (30, 5, 1.0),
            "target_unlab": (60, 6, 1.0)}
    dirs = {k: feature_dir(root / k, n, s, shift, labels=k != "target_unlab")
            for k, (n, s, shift) in sets.items()}
    compute_corpus_stats([dirs["source_train"]], [dirs[k] for k in dirs if k.startswith("source")])
    compute_corpus_stats([dirs["target_train"], dirs["target_unlab"]],
                         [dirs[k] for k in dirs if k.startswith("target")])
    return root, [f"data.{k}={v}" for k, v in dirs.items()]


def resolve(exp_root, data_args, name, *overrides, method="dann"):
    conf = exp_root / f"{name}.yaml"
    conf.write_text(f"method: {method}\nmodel: {{'*': {{hidden: 32}}}}\n"
                    "train: {epochs: 6, batch_size: 16, trials: 2}\n"
                    + ("adapt: {grl: {schedule: linear, hold_epochs: 1}}\n"
                       if method == "dann" else ""))
    out = exp_root / "exp" / name / "config.yaml"
    subprocess.run([sys.executable, "-m", "serda.bin.resolve_config", "--conf", str(conf),
                    "--out", str(out), *data_args, *overrides], check=True, env=run_env())
    return out


def train(config, trial=1):
    return subprocess.run([sys.executable, "-m", "serda.bin.train", "--config", str(config),
                           "--trial", str(trial)], capture_output=True, text=True, env=run_env())


def test_resume_after_sigkill_equals_uninterrupted_run(exp):
    root, data_args = exp
    whole = resolve(root, data_args, "whole", "train.epochs=40")
    killed = resolve(root, data_args, "killed", "train.epochs=40", "train.checkpoint_interval=0")
    assert train(whole).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "serda.bin.train", "--config", str(killed),
                             "--trial", "1"], env=run_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    history = killed.parent / "trial1" / "metrics.jsonl"
    deadline = time.time() + 120
    while time.time() < deadline:
        if history.is_file() and len(history.read_text().splitlines()) >= 5:
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(history.read_text().splitlines())
    assert 5 <= done < 40, "the run finished before it could be killed"
    r = train(killed)
    assert r.returncode == 0, r.stderr
    a = (whole.parent / "trial1" / "metrics.jsonl").read_text()
    b = history.read_text()
    assert a == b and len(a.splitlines()) == 40
    sa = json.loads((whole.parent / "trial1" / "summary.json").read_text())
    sb = json.loads((killed.parent / "trial1" / "summary.json").read_text())
    assert sa["selected_epoch"] == sb["selected_epoch"]
    assert "is complete, skipping" in train(killed).stdout


def test_train_decode_report(exp):
    root, data_args = exp
    dirs = {}
    for name, method, extra in (("src", "source_only", []), ("dann", "dann", []),
                                ("target", "source_only", ["train.train_on=target"])):
        dirs[name] = resolve(root, data_args, name, *extra, method=method)
        for trial in (1, 2):
            r = train(dirs[name], trial)
            assert r.returncode == 0, r.stderr
            d = subprocess.run([sys.executable, "-m", "serda.bin.decode", "--config",
                                str(dirs[name]), "--trial", str(trial), "--sets", "target_test",
                                "source_test"], capture_output=True, text=True, env=run_env())
            assert d.returncode == 0, d.stderr
    trial = dirs["dann"].parent / "trial1"
    pred = (trial / "decode_target_test" / "pred").read_text().splitlines()
    assert len(pred) == 30 and pred[0].startswith("s0-u")
    metrics = json.loads((trial / "decode_target_test" / "metrics.json").read_text())
    assert set(metrics) >= {"ccc", "pr", "rmse"} and -1 <= metrics["ccc"] <= 1
    assert 0 <= metrics["domain_acc"] <= 1          # Table III: target test detected as target
    src_metrics = json.loads((dirs["src"].parent / "trial1/decode_target_test/metrics.json")
                             .read_text())
    assert "domain_acc" not in src_metrics
    history = [json.loads(l) for l in (trial / "metrics.jsonl").read_text().splitlines()]
    lam = [h["lambda"] for h in history]            # epoch means of the per-iteration ramp
    assert lam[0] == 0.0 and 0.0 < lam[1] < lam[2] < lam[-1] < 1.0 and lam[-1] > 0.85
    assert {"main/task", "main/domain", "main/domain_acc", "dev/domain_acc",
            "source_dev/ccc", "target_dev/ccc"} <= set(history[-1])
    r = subprocess.run([sys.executable, "-m", "serda.bin.report", "--exp", str(root / "exp"),
                        "--systems", "target", "src", "dann", "--baseline", "src"],
                       capture_output=True, text=True, env=run_env())
    assert r.returncode == 0, r.stderr
    table = (root / "exp" / "RESULTS.md").read_text()
    for row in ("| target | source_only | target |", "| src | source_only | source |",
                "| dann | dann | source |"):
        assert row in table
    assert len((root / "exp" / "results.csv").read_text().splitlines()) == 1 + 6
    # report figures from the same trained trials: domain accuracy (Fig. 7) and t-SNE (Fig. 8)
    for tool, args in (("plot_domain_acc", ["--exp", str(root / "exp"), "--systems", "dann"]),
                       ("plot_tsne", ["--systems", str(root / "exp/src"), str(root / "exp/dann"),
                                      "--max-points", "20"]),
                       ("plot_tsne", ["--systems", str(root / "exp/dann"), "--layers", "all",
                                      "--color", "label", "--sets", "target_test"])):
        r = subprocess.run([sys.executable, "-m", f"serda.bin.{tool}", *args],
                           capture_output=True, text=True, env=run_env())
        assert r.returncode == 0, r.stderr
    for png in ("domain_acc.png", "tsne_domain.png", "tsne_label.png"):
        assert (root / "exp" / "figs" / png).read_bytes()[:4] == b"\x89PNG"


def test_vectorized_trials_write_per_trial_outputs(exp):
    root, data_args = exp
    config = resolve(root, data_args, "vec", "train.vectorize=true", "train.trials=3",
                     "optim.lr=5e-3", "train.epochs=15")
    r = subprocess.run([sys.executable, "-m", "serda.bin.train", "--config", str(config),
                        "--trials", "1:3"], capture_output=True, text=True, env=run_env())
    assert r.returncode == 0, r.stderr
    scores = []
    for k in (1, 2, 3):
        trial = config.parent / f"trial{k}"
        summary = json.loads((trial / "summary.json").read_text())
        assert summary["vectorized"] and summary["seed"] == k
        assert len((trial / "metrics.jsonl").read_text().splitlines()) == 15
        d = subprocess.run([sys.executable, "-m", "serda.bin.decode", "--config", str(config),
                            "--trial", str(k), "--sets", "source_test"],
                           capture_output=True, text=True, env=run_env())
        assert d.returncode == 0, d.stderr
        scores.append(json.loads((trial / "decode_source_test" / "metrics.json").read_text())["ccc"])
    assert len(set(scores)) == 3            # the trials differ
    assert min(scores) > 0.3                # and each one learned something
    # decoding the three trials in one process (each set read once) gives the same files
    before = [(config.parent / f"trial{k}/decode_source_test/pred").read_text() for k in (1, 2, 3)]
    d = subprocess.run([sys.executable, "-m", "serda.bin.decode", "--config", str(config),
                        "--trials", "1:3", "--sets", "source_test"],
                       capture_output=True, text=True, env=run_env())
    assert d.returncode == 0, d.stderr
    assert d.stdout.count("decode: ") == 3
    assert [(config.parent / f"trial{k}/decode_source_test/pred").read_text()
            for k in (1, 2, 3)] == before
    bad = subprocess.run([sys.executable, "-m", "serda.bin.decode", "--config", str(config),
                          "--trials", "3:1"], capture_output=True, text=True, env=run_env())
    assert bad.returncode != 0 and "trial range '3:1'" in bad.stderr
