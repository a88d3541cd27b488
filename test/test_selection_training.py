"""Selection scores and AdaBN inside training (one model and stacked trials),
on the tiny regression sets of test_training."""
import json
import subprocess
import sys

import pytest
import torch

from conftest import run_env
from serda.config import load_config
from serda.methods import build_method
from serda.nets.bn_statistics import set_batchnorm_statistics
from serda.train.data import load_set
from test_training import exp, resolve  # noqa: F401  (the module fixture and helper)


def train(config, *args):
    r = subprocess.run([sys.executable, "-m", "serda.bin.train", "--config", str(config), *args],
                       capture_output=True, text=True, env=run_env())
    assert r.returncode == 0, r.stderr[-3000:]


@pytest.mark.parametrize("vectorize", [False, True])
def test_regression_scores_are_logged_and_select(exp, vectorize):  # noqa: F811
    root, data_args = exp
    config = resolve(root, data_args, f"iwv_{vectorize}", f"train.vectorize={vectorize}",
                     "train.scorers=[iwv,dev,snd,entropy]", "train.track_test=true",
                     "train.select=iwv")
    train(config, "--trials", "1:2")
    for k in (1, 2):
        trial = config.parent / f"trial{k}"
        records = [json.loads(line) for line in (trial / "metrics.jsonl").read_text().splitlines()]
        for r in records:
            assert {"score/iwv", "score/dev", "score/snd", "target_test/ccc"} <= set(r)
            assert "score/entropy" not in r          # no posteriors in regression
        summary = json.loads((trial / "summary.json").read_text())
        best = max(records, key=lambda r: (r["score/iwv"], -r["epoch"]))
        assert summary["select"] == "iwv" and summary["selected_epoch"] == best["epoch"]
        assert summary["selected_by"]["iwv"] == best["epoch"]
        assert summary["selection_score"] == pytest.approx(best["score/iwv"])


@pytest.mark.parametrize("vectorize", [False, True])
def test_adabn_saves_the_target_statistics(exp, vectorize):  # noqa: F811
    root, data_args = exp
    config = resolve(root, data_args, f"adabn_{vectorize}", f"train.vectorize={vectorize}",
                     "model.encoder.batchnorm=true", method="adabn")
    train(config, "--trials", "1:2")
    cfg = load_config(config)
    target = load_set(cfg.data.target_unlab, cfg, labelled=False)
    for k in (1, 2):
        state = torch.load(config.parent / f"trial{k}" / "model.pt")["method"]
        method = build_method(cfg, target.input_shape, 1)
        method.load_state_dict(state)
        saved = {n: b.clone() for n, b in method.named_buffers() if "running" in n}
        assert saved
        set_batchnorm_statistics(method, target.x)
        for n, b in method.named_buffers():
            if n in saved:
                torch.testing.assert_close(b, saved[n], rtol=1e-5, atol=1e-6)
