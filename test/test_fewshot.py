"""Few-shot supervised DA: CADA's relabelling and losses, FADA's pair groups, shots."""
import math

import numpy as np
import pytest
import torch

from conftest import make_data_dir
from serda.config import load_config
from serda.data.datadir import DataDir
from serda.data.folds import random_cv_sets
from serda.methods import build_method
from serda.methods.base import Batch
from serda.methods.cada import class_log_probs, domain_class_labels, swapped_labels
from serda.methods.fada import G1, G2, G3, G4, pair_groups
from serda.train.data import draw_shots
from serda.train.one_model import OneModel


def test_cada_relabels_into_2k_domain_class_categories():
    ys, yl = torch.tensor([0, 1]), torch.tensor([1, 0])
    d = domain_class_labels(ys, yl, 2)
    assert d.tolist() == [0, 1, 3, 2]                 # source k -> k, target k -> K + k
    assert swapped_labels(d, 2).tolist() == [2, 3, 1, 0]


def cada_with_fixed_logits(logits):
    """A CADA whose encoder is the identity and predictor the identity on 4-dim
    inputs, so its logits are the inputs."""
    cfg = load_config(None, ["method=cada", "task.type=classification", "model.encoder.layers=0",
                             "model.encoder.dropout_in=0.0", "model.task_head.layers=0",
                             "train.target_shots=1"])
    method = build_method(cfg, (4,), 2)
    with torch.no_grad():
        method.task_head.net[0].weight.copy_(torch.eye(4))
        method.task_head.net[0].bias.zero_()
    return method


def test_cada_losses_by_hand_on_a_4_example_batch():
    # 2 source rows (classes 0, 1), 2 target rows (classes 1, 0): categories 0, 1, 3, 2
    x = torch.tensor([[2.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.5], [0.5, 0.0, 0.0, 2.0],
                      [0.0, 0.0, 1.5, 0.0]])
    method = cada_with_fixed_logits(x)
    batch = Batch(xs=x[:2], ys=torch.tensor([0, 1]), xl=x[2:], yl=torch.tensor([1, 0]))

    def ce(row, target):
        z = x[row].tolist()
        return math.log(sum(math.exp(v) for v in z)) - z[target]
    eq2 = np.mean([ce(0, 0), ce(1, 1), ce(2, 3), ce(3, 2)])
    eq3 = np.mean([ce(0, 2), ce(1, 3), ce(2, 1), ce(3, 0)])    # swapped
    steps = {s.name: s for s in method.steps()}
    assert float(steps["classify"].loss(batch)["domain_class"].detach()) == pytest.approx(eq2, rel=1e-6)
    assert float(steps["confuse"].loss(batch)["swapped"].detach()) == pytest.approx(eq3, rel=1e-6)
    # prediction: class k scored by p_k + p_{K+k}
    p = x.softmax(dim=1)
    expected = torch.stack([p[:, 0] + p[:, 2], p[:, 1] + p[:, 3]], dim=1)
    torch.testing.assert_close(class_log_probs(x, 2).exp(), expected)
    method.eval()
    torch.testing.assert_close(method.predict(x).softmax(dim=1), expected)


def test_cada_swapped_loss_trains_the_encoder_only():
    torch.manual_seed(0)
    cfg = load_config(None, ["method=cada", "task.type=classification", "model.*.hidden=6",
                             "model.*.dropout=0.0", "model.encoder.dropout_in=0.0",
                             "train.target_shots=1"])
    method = build_method(cfg, (5,), 2)
    engine = OneModel(method, cfg)
    batch = Batch(xs=torch.randn(6, 5), ys=torch.tensor([0, 1, 0, 1, 0, 1]),
                  xl=torch.randn(2, 5), yl=torch.tensor([1, 0]))
    confuse = [i for i, s in enumerate(engine.steps) if s.name == "confuse"][0]
    head = {n: p.detach().clone() for n, p in method.task_head.named_parameters()}
    enc = {n: p.detach().clone() for n, p in method.encoder.named_parameters()}
    engine.update(confuse, batch)
    assert all(p.grad is None for p in method.task_head.parameters())   # no gradient reached it
    assert all(torch.equal(head[n], p) for n, p in method.task_head.named_parameters())
    assert any(not torch.equal(enc[n], p) for n, p in method.encoder.named_parameters())


def test_fada_every_pair_is_in_exactly_one_group_with_the_right_label():
    torch.manual_seed(0)
    ys = torch.tensor([0, 1, 1, 0, 1, 0, 0, 1])
    yl = torch.tensor([1, 0, 0])
    (a, b), ss_group, (s, t), st_group = pair_groups(ys, yl)
    assert len(a) == len(ss_group) == 6 and len(s) == len(st_group) == 6   # 2 per anchor
    assert set(ss_group.tolist()) <= {G1, G3} and set(st_group.tolist()) <= {G2, G4}
    for i, j, g in zip(a.tolist(), b.tolist(), ss_group.tolist()):
        assert i != j and g == (G1 if ys[i] == ys[j] else G3)
    for i, j, g in zip(s.tolist(), t.tolist(), st_group.tolist()):
        assert g == (G2 if ys[i] == yl[j] else G4)
    # with both classes in the batch each anchor gets one same- and one other-class partner
    assert ss_group.tolist().count(G1) == ss_group.tolist().count(G3) == 3
    assert st_group.tolist().count(G2) == st_group.tolist().count(G4) == 3


def test_shots_come_from_the_fold_s_training_part_per_class_by_seed(tmp_path):
    src = make_data_dir(tmp_path / "corpus", n_spk=4, n_utt=10)
    sets = random_cv_sets(src, str(tmp_path / "cv"), 5, 0.1, seed=3)
    for train, dev, test in sets:
        t, d, e = (set(DataDir.load(p).utts) for p in (train, dev, test))
        assert not (t & d or t & e or d & e) and len(t | d | e) == 40
        emo = DataDir.load(train).tables["utt2emo"]
        utts = DataDir.load(train).utts
        y = np.array([["neu", "hap", "ang", "sad"].index(emo[u]) for u in utts])
        shots = draw_shots(y, 2, False, seed=11)
        assert sorted(np.bincount(y[shots]).tolist()) == [2, 2, 2, 2]    # 2 per class
        assert {utts[i] for i in shots} <= t                            # never dev or test
        assert shots == draw_shots(y, 2, False, seed=11) != draw_shots(y, 2, False, seed=12)
    # every utterance is tested once over the folds; classes spread evenly
    tested = [u for _, _, test in sets for u in DataDir.load(test).utts]
    assert len(tested) == len(set(tested)) == 40
