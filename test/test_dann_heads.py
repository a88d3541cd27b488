"""Paper 4 (Gao et al.): center loss, several domain heads behind one GRL, the
CNN-BLSTM encoder on spectrogram segments and per-utterance decisions."""
import numpy as np
import pytest
import kaldiio
import torch

from serda.config import load_config
from serda.data.rows import load_rows
from serda.features.filterbank import Spectrogram
from serda.losses.center import center_loss, center_step
from serda.methods import build_method
from serda.methods.base import Batch
from serda.settings import ConfigError
from serda.train.data import SetTensors
from serda.train.evaluate import predict_set
from serda.train.one_model import OneModel
from serda.train.schedules import schedule_value


def test_center_loss_by_hand():
    x = torch.tensor([[1.0, 2.0], [3.0, 0.0], [0.0, -1.0]])
    y = torch.tensor([0, 1, 0])
    c = torch.tensor([[0.5, 1.0], [2.0, 2.0]])
    # ||(0.5, 1)||^2 = 1.25, ||(1, -2)||^2 = 5, ||(-0.5, -2)||^2 = 4.25; mean over M = 3
    assert float(center_loss(x, y, c)) == pytest.approx((1.25 + 5.0 + 4.25) / 3)


def test_center_update_by_hand():
    x = torch.tensor([[1.0, 2.0], [3.0, 0.0], [0.0, -1.0]])
    y = torch.tensor([0, 1, 0])
    c = torch.tensor([[0.5, 1.0], [2.0, 2.0], [7.0, 7.0]])      # class 2: not in the batch
    # class 0: m = 2, sum (c - x) = (0.5-1 + 0.5-0, 1-2 + 1+1) = (0, 1); delta = (0, 1) / 3
    # class 1: m = 1, sum (c - x) = (-1, 2); delta = (-1, 2) / 2
    new = center_step(x, y, c, rate=0.5)
    expected = torch.tensor([[0.5, 1.0 - 0.5 / 3], [2.0 + 0.25, 2.0 - 0.5], [7.0, 7.0]])
    torch.testing.assert_close(new, expected)


def heads_method(*overrides, input_shape=(6,)):
    cfg = load_config(None, ["method=dann_heads", "task.type=classification",
                             "model.encoder.dropout_in=0.0", "model.encoder.dropout=0.0",
                             "model.encoder.batchnorm=false", "model.task_head.layers=0",
                             "model.domain_head.layers=1", "model.domain_head.dropout=0.0",
                             "model.domain_head.batchnorm=false",
                             "adapt.domain_heads=[gender, corpus]", *overrides])
    torch.manual_seed(0)
    return cfg, build_method(cfg, input_shape, 2, {"gender": 2, "corpus": 3})


def grad_at_embedding(method, batch, keep):
    """d(sum of the losses named in ``keep``)/dz at the encoder output z (rows, D)."""
    store = {}
    original = method.encoder.forward

    def forward(x):
        z = original(x)
        z.retain_grad()
        store["z"] = z
        return z
    method.encoder.forward = forward
    method.scheduled["lambda"] = 0.3
    losses = method.losses(batch)
    sum(v for k, v in losses.items() if k in keep).backward()
    method.encoder.forward = original
    return store["z"], store["z"].grad


def test_each_domain_head_reaches_the_encoder_reversed_and_scaled_by_0_3():
    cfg, method = heads_method()
    grl = method.schedules()["lambda"]          # Gao et al.'s gamma = -0.3, held constant
    assert {schedule_value(grl, e, 30, i, 10) for e in (0, 29) for i in (0, 9)} == {0.3}
    g = torch.Generator().manual_seed(1)
    batch = Batch(xs=torch.randn(4, 6, generator=g), ys=torch.tensor([0, 1, 1, 0]),
                  xt=torch.randn(4, 6, generator=g),
                  ds={"gender": torch.tensor([0, 1, 0, 1]), "corpus": torch.tensor([0, 0, 1, 1])},
                  dt={"gender": torch.tensor([1, 1, 0, 0]), "corpus": torch.tensor([2, 2, 2, 1])})
    for a in ("gender", "corpus"):
        z, grad = grad_at_embedding(method, batch, {f"domain_{a}"})
        # the same head on z without the GRL: the gradient the encoder would get
        plain = z.detach().requires_grad_()
        codes = torch.cat([batch.ds[a], batch.dt[a]])
        torch.nn.functional.cross_entropy(method.domain_head[a](plain), codes).backward()
        torch.testing.assert_close(grad, -0.3 * plain.grad)
    # the emotion classifier is not behind the GRL: the labelled rows get +dCE/dz
    z, grad = grad_at_embedding(method, batch, {"task"})
    plain = z.detach()[:4].requires_grad_()
    torch.nn.functional.cross_entropy(method.task_head(plain), batch.ys).backward()
    torch.testing.assert_close(grad[:4], plain.grad)
    assert torch.count_nonzero(grad[4:]) == 0          # target rows carry no emotion loss


def test_the_heads_are_named_by_attribute_and_only_they_set_the_target_rows():
    cfg = load_config(None, ["method=dann_heads", "adapt.domain_heads=[spk, gender, lang, corpus]"])
    method = build_method(cfg, (6,), 2, {"spk": 5, "gender": 2, "lang": 2, "corpus": 3})
    assert list(method.domain_head) == ["spk", "gender", "lang", "corpus"]
    assert type(method).domain_attributes(cfg) == ("spk", "gender", "lang", "corpus")
    assert type(method).reads_target(cfg)
    base = load_config(None, ["method=dann_heads", "task.type=classification"])
    assert not type(method).reads_target(base)            # no heads: the baseline
    multi = load_config(None, ["method=dann_heads", "adapt.domain_heads=[corpus]",
                               "adapt.domain_rows=labelled"])
    assert not type(method).reads_target(multi)
    with pytest.raises(ConfigError, match="twice"):
        load_config(None, ["method=dann_heads", "adapt.domain_heads=[corpus, corpus]"])


def test_center_loss_term_and_centres_move_in_training():
    cfg, method = heads_method("adapt.softmax_weight=0.5", "adapt.domain_heads=[]")
    batch = Batch(xs=torch.randn(8, 6), ys=torch.tensor([0, 1] * 4))
    before = method.centers.clone()
    losses = method.losses(batch)
    assert set(losses) == {"task", "center"}
    z = method.encoder(batch.xs).detach()
    torch.testing.assert_close(method.centers, center_step(z, batch.ys, before, 0.5))
    engine = OneModel(method, cfg)
    engine.update(0, batch)
    assert not torch.equal(method.centers, before)


def test_cnn_blstm_shapes_and_segment_decisions_average_posteriors():
    cfg = load_config(None, ["method=dann_heads", "task.type=classification",
                             "input.layout=segments", "input.frames=32",
                             "model.encoder.type=cnn_blstm", "model.encoder.channels=[4, 8]",
                             "model.encoder.pool_freq=4", "model.encoder.pool_time=2",
                             "model.encoder.lstm=5", "model.task_head.layers=0"])
    torch.manual_seed(0)
    method = build_method(cfg, (32, 129), 2)
    x = torch.randn(7, 32, 129)
    assert method.encoder(x).shape == (7, 10)
    conv = method.encoder.conv_sequence(x)
    assert conv.shape == (7, 8, 8 * 8)                 # T' = 32 // 2 // 2, F' = 129 // 4 // 4
    group = torch.tensor([0, 0, 0, 1, 2, 2, 2])
    data = SetTensors("s", ["a", "b", "c"], x, torch.zeros(7, dtype=torch.long), group)
    method.eval()
    with torch.no_grad():
        post = method.predict(x).softmax(dim=1)
    expected = torch.stack([post[:3].mean(0), post[3], post[4:].mean(0)]).numpy()
    np.testing.assert_allclose(predict_set(method, data), expected, rtol=1e-5, atol=1e-6)


def test_vectorised_trials_train_the_cnn_blstm_with_heads_and_centres():
    from serda.train.stacked import StackedModels
    cfg = load_config(None, ["method=dann_heads", "task.type=classification",
                             "input.layout=segments", "input.frames=8",
                             "model.encoder.type=cnn_blstm", "model.encoder.channels=[2]",
                             "model.encoder.lstm=3", "adapt.domain_heads=[corpus]",
                             "adapt.softmax_weight=0.5", "optim.name=adadelta", "optim.lr=1.0"])
    engine = StackedModels(lambda k: build_method(cfg, (8, 10), 2, {"corpus": 2}), cfg, [1, 2])
    batch = Batch(xs=torch.randn(2, 4, 8, 10), ys=torch.tensor([[0, 1, 0, 1]] * 2),
                  xt=torch.randn(2, 4, 8, 10), ds={"corpus": torch.zeros(2, 4, dtype=torch.long)},
                  dt={"corpus": torch.ones(2, 4, dtype=torch.long)})
    engine.method.scheduled["lambda"] = 0.3
    losses = engine.update(0, batch)
    assert set(losses) == {"task", "center", "domain_corpus", "acc_corpus"}
    assert losses["task"].shape == (2,)
    centers = engine.buffers["centers"]
    assert centers.shape == (2, 2, 6) and not torch.equal(centers[0], centers[1])


@pytest.mark.parametrize("seconds", [0.2, 0.265, 0.9, 2.37])
def test_segment_counts_follow_the_audio_length(tmp_path, seconds):
    """25 ms frames every 7.75 ms (124 samples at 16 kHz): n = 1 + (N - 400) // 124
    frames; 32-frame segments every 32 frames: 1 + (n - 32) // 32 (one padded
    segment when n < 32)."""
    sr = 16000
    n_samples = int(seconds * sr)
    wav = np.random.default_rng(0).normal(0, 0.1, n_samples)
    spec = Spectrogram(n_fft=512, frame_length_ms=25.0, frame_shift_ms=7.75, max_bins=129)
    feats = spec.compute(wav, sr)
    n_frames = 1 + (n_samples - 400) // 124
    assert feats.shape == (n_frames, 129)
    d = tmp_path / "set"
    d.mkdir()
    kaldiio.save_ark(str(d / "feats.ark"), {"u1": feats}, scp=str(d / "feats.scp"))
    (d / "utt2num_frames").write_text(f"u1 {n_frames}\n")
    cfg = load_config(None, ["input.layout=segments", "input.frames=32"])
    rows = load_rows(d, "none", cfg.input)
    expected = 1 if n_frames <= 32 else 1 + (n_frames - 32) // 32
    assert rows.x.shape == (expected, 32, 129)
    assert (rows.group == 0).all()
