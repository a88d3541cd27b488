"""Paper 5 (Cai et al.): the conv-attention encoder, fixed-length inputs, the
loss and gradients of Eqs. 7-10, the BatchNorm placements, per-corpus label
arguments, weight penalties and the learning-rate decay."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from serda.config import load_config
from serda.data.rows import fixed_length
from serda.methods import build_method
from serda.methods.base import Batch
from serda.train.one_model import OneModel
from serda.train.updates import add_penalty_grads_, epoch_lr


def test_encoder_shape_for_750_x_26_and_what_the_attention_pools():
    cfg = load_config(None, ["method=xling_dann", "task.type=classification",
                             "model.encoder.type=conv_attention", "input.layout=fixed"])
    torch.manual_seed(0)
    method = build_method(cfg, (750, 26), 2)
    enc = method.encoder
    x = torch.randn(3, 750, 26)
    out = enc(x)
    # conv: (750 - 10) // 3 + 1 = 247 steps; pool 30/30: (247 - 30) // 30 + 1 = 8; + a
    assert enc.steps == 8 and out.shape == (3, 200 * 9) and enc.out_dim == 1800
    f = enc.pooled(x)                                   # (3, 8, 200)
    s = enc.attention_weights(x)
    torch.testing.assert_close(s.sum(dim=1), torch.ones(3))
    a = (s.unsqueeze(2) * f).sum(dim=1)
    torch.testing.assert_close(out[:, -200:], a)         # a appended after the 8 steps
    torch.testing.assert_close(out[:, :200], f[:, 0])    # step-major flattening
    manual = torch.stack([torch.stack([f[n, i] @ enc.query for i in range(8)])
                          for n in range(3)]).softmax(dim=1)
    torch.testing.assert_close(s, manual)


def test_pad_with_the_minimum_and_centre_crop():
    short = np.array([[1.0, 5.0], [3.0, 2.0], [2.0, 4.0]], dtype=np.float32)   # 3 frames
    long = np.arange(20, dtype=np.float32).reshape(10, 2)                      # 10 frames
    out = fixed_length([short, long], 6, "min")
    np.testing.assert_array_equal(out[0, :3], short)
    np.testing.assert_array_equal(out[0, 3:], [[1.0, 2.0]] * 3)     # per-dimension minimum
    np.testing.assert_array_equal(out[1], long[2:8])                # centre: (10 - 6) // 2 = 2


def xling(bn="none", alpha=0.3, beta=0.8, dropout=0.0, adversarial=True):
    cfg = load_config(None, ["method=xling_dann", "task.type=classification",
                             "model.encoder.layers=1", "model.encoder.hidden=5",
                             "model.encoder.dropout_in=0.0", "model.encoder.dropout=0.0",
                             "model.encoder.batchnorm=false", "model.encoder.max_norm=0.0",
                             f"adapt.bn={bn}", f"adapt.alpha={alpha}", f"adapt.dropout={dropout}",
                             f"adapt.grl.max={beta}", f"adapt.adversarial={str(adversarial).lower()}"])
    torch.manual_seed(0)
    method = build_method(cfg, (4,), 2)
    method.scheduled["lambda"] = beta
    return cfg, method


def tiny_batch(seed=0, n=6):
    g = torch.Generator().manual_seed(seed)
    return Batch(xs=torch.randn(n, 4, generator=g), ys=torch.tensor([0, 1] * (n // 2)),
                 xt=torch.randn(n, 4, generator=g) + 1.5)


def grads(method, loss):
    method.zero_grad()
    loss.backward()
    return {n: p.grad.clone() for n, p in method.named_parameters() if p.grad is not None}


def test_eqs_7_to_10_on_a_tiny_batch():
    alpha, beta = 0.3, 0.8
    _, method = xling(alpha=alpha, beta=beta)
    b = tiny_batch()
    losses = method.mixed_losses(b)
    # Eqs. 5-7 by hand on the same parameters (no BN, no dropout, no GRL)
    def raw():
        z = method.encoder(torch.cat([b.xs, b.xt]))
        le = F.cross_entropy(method.task_head(z[:6]), b.ys)
        ll = F.cross_entropy(method.domain_head(z), torch.tensor([0] * 6 + [1] * 6))
        return le, ll
    le, ll = raw()
    assert float(losses["emotion"].detach()) == pytest.approx(alpha * float(le.detach()), rel=1e-6)
    assert float(losses["language"].detach()) == pytest.approx((1 - alpha) * float(ll.detach()),
                                                               rel=1e-6)
    total = grads(method, losses["emotion"] + losses["language"])
    g_e = grads(method, raw()[0])
    g_l = grads(method, raw()[1])
    for name, g in total.items():
        part = name.split(".")[0]
        if part == "task_head":                                   # Eq. 8
            torch.testing.assert_close(g, alpha * g_e[name])
        elif part == "domain_head":                               # Eq. 9
            torch.testing.assert_close(g, (1 - alpha) * g_l[name])
        else:                                                     # Eq. 10
            torch.testing.assert_close(g, alpha * g_e[name] - (1 - alpha) * beta * g_l[name])


@pytest.mark.parametrize("bn", ["bn1", "bn2", "bn3", "bn4", "none"])
def test_each_batchnorm_placement_normalises_the_rows_it_should(bn):
    cfg, method = xling(bn=bn)
    b = tiny_batch()
    with torch.no_grad():
        zs, zt = method.encoder(b.xs), method.encoder(b.xt)
    engine = OneModel(method, cfg)
    engine.update(0, b)
    m = 0.1                                                        # BatchNorm1d's momentum
    if bn == "none":
        assert len(method.norm) == 0
        return
    source = method.norm["source"]
    if bn == "bn1":                                                # the whole mixed batch
        expected = m * torch.cat([zs, zt]).mean(0)
    elif bn in ("bn2", "bn3"):                                     # the source half
        expected = m * zs.mean(0)
    else:                                                          # bn4: a source batch ...
        expected = m * zs.mean(0)
    torch.testing.assert_close(source.running_mean, expected)
    if bn == "bn3":                                                # its own target layer
        torch.testing.assert_close(method.norm["target"].running_mean, m * zt.mean(0))
    if bn == "bn4":                                                # ... then a target batch
        with torch.no_grad():
            zt2 = method.encoder(b.xt)                             # after the source update
        engine.update(1, b)
        torch.testing.assert_close(source.running_mean, (1 - m) * expected + m * zt2.mean(0))
    if bn == "bn2":  # the language path's whole-batch statistics leave the averages alone
        assert source.num_batches_tracked == 1


def test_base_and_mono_have_no_language_classifier():
    cfg, method = xling(bn="bn1", adversarial=False)
    assert not type(method).reads_target(cfg) and list(method.schedules()) == []
    losses = method.steps()[0].loss(Batch(xs=torch.randn(4, 4), ys=torch.tensor([0, 1, 0, 1])))
    assert set(losses) == {"emotion"}


def test_penalties_and_learning_rate_decay():
    w = torch.nn.Parameter(torch.tensor([[1.0, -2.0], [0.0, 3.0]]))
    bias = torch.nn.Parameter(torch.tensor([1.0, -1.0]))
    w.grad, bias.grad = torch.zeros(2, 2), torch.zeros(2)
    add_penalty_grads_([w, bias], l1=0.1, l2=0.01)
    torch.testing.assert_close(w.grad, torch.tensor([[0.1 + 0.02, -0.1 - 0.04], [0.0, 0.1 + 0.06]]))
    assert torch.count_nonzero(bias.grad) == 0                      # biases are not penalised
    cfg = load_config(None, ["optim.lr=1e-3", "optim.lr_decay=0.93", "optim.lr_min=5e-5"])
    assert epoch_lr(cfg.optim, 0) == pytest.approx(1e-3)
    assert epoch_lr(cfg.optim, 10) == pytest.approx(1e-3 * 0.93 ** 10)
    assert epoch_lr(cfg.optim, 49) == pytest.approx(5e-5)          # 1e-3 * 0.93^49 < 5e-5


def test_per_corpus_label_arguments(tmp_path):
    from conftest import make_data_dir
    from serda.train.data import read_labels
    d = make_data_dir(tmp_path / "rec", n_spk=1, n_utt=2)
    utts = sorted(p.split()[0] for p in (d / "utt2spk").read_text().splitlines())
    (d / "attributes.yaml").write_text("corpus: recola\n")
    (d / "utt2arousal").write_text(f"{utts[0]} -0.2\n{utts[1]} 0.3\n")
    cfg = load_config(None, ["task.type=classification", "task.attribute=arousal",
                             "task.label_map=binarize",
                             "task.label_args={per_corpus: {iemocap: {threshold: 2.5}, "
                             "recola: {threshold: 0.0}}}"])
    assert read_labels(d, utts, cfg.task).tolist() == [0, 1]
    (d / "attributes.yaml").write_text("corpus: emodb\n")
    with pytest.raises(Exception, match="emodb.*per_corpus"):
        read_labels(d, utts, cfg.task)
