"""One contract over every registered method, plus MRD's step isolation."""
import io

import pytest
import torch

from serda.config import Config, MLPConfig, ModelConfig, TrainConfig
from serda.methods import available, get_method, method_names
from serda.methods.base import Batch
from serda.train.trainer import Trainer
from serda.train.data import SetTensors


def tiny_cfg(method, task="regression"):
    small = MLPConfig(layers=1, hidden=8, dropout=0.0)
    cfg = Config(method=method, model=ModelConfig(encoder=MLPConfig(layers=1, hidden=8, max_norm=1.0),
                                                  task_head=small, task_head2=MLPConfig(layers=2, hidden=8),
                                                  domain_head=small),
                 train=TrainConfig(epochs=1, batch_size=8))
    cfg.task.type = task
    return cfg


def tiny_set(n=16, d=6, labels=True, classes=None, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=g)
    y = None
    if labels:
        y = torch.randint(0, classes, (n,), generator=g) if classes else x[:, 0] * 2 + 0.1
    return SetTensors("toy", [f"u{i}" for i in range(n)], x, y, torch.arange(n))


def batch(cls, classes=None):
    s, t = tiny_set(classes=classes), tiny_set(labels=False, seed=1)
    return Batch(s.x[:8], s.y[:8], t.x[:8] if cls.uses_target else None)


@pytest.mark.parametrize("name", available())
@pytest.mark.parametrize("task", ["regression", "classification"])
def test_method_contract(name, task):
    torch.manual_seed(0)
    cls = get_method(name)
    classes = 3 if task == "classification" else None
    method = cls(tiny_cfg(name, task), 6, 1 if classes is None else classes)
    method.coef = 0.5
    b = batch(cls, classes)
    reached = False
    for step in method.steps():
        assert set(step.parts) <= set(method.parts) and step.repeat >= 1
        method.zero_grad()
        losses = step.loss(b)
        assert losses and all(torch.isfinite(v).all() for v in losses.values())
        sum(v for k, v in losses.items() if not k.startswith("_")).backward()
        if any(p.grad is not None and p.grad.abs().sum() > 0 for p in method.encoder.parameters()):
            reached = True
    assert reached, "no step sends a gradient to the encoder"
    method.eval()
    out = method.predict(b.xs)
    assert out.shape == ((8,) if classes is None else (8, classes))
    buf = io.BytesIO()
    torch.save(method.state_dict(), buf)
    buf.seek(0)
    twin = cls(tiny_cfg(name, task), 6, 1 if classes is None else classes)
    twin.load_state_dict(torch.load(buf))
    twin.eval()
    torch.testing.assert_close(twin.predict(b.xs), out)


def snapshot(module):
    return {n: p.detach().clone() for n, p in module.named_parameters()}


def changed(before, module):
    return {n for n, p in module.named_parameters() if not torch.equal(before[n], p)}


def test_mrd_steps_update_only_their_parts():
    torch.manual_seed(0)
    cfg = tiny_cfg("mrd")
    method = get_method("mrd")(cfg, 6, 1)
    trainer = Trainer(method, cfg, "unused", tiny_set(), tiny_set(labels=False, seed=1))
    steps = {s.name: s for s in trainer.steps}
    assert steps["encoder"].repeat == cfg.adapt.encoder_steps == 3
    b = batch(type(method))
    trainer.apply_step(steps["source"], b)
    before = snapshot(method)
    trainer.apply_step(steps["regressors"], b)
    moved = changed(before, method)
    assert moved and all(n.startswith(("task_head.", "task_head2.")) for n in moved)
    assert any(n.startswith("task_head2.") for n in moved)
    before = snapshot(method)
    trainer.apply_step(steps["encoder"], b)
    moved = changed(before, method)
    assert moved and all(n.startswith("encoder.") for n in moved)


def test_max_norm_constraint_holds_after_an_update():
    torch.manual_seed(0)
    cfg = tiny_cfg("source_only")
    cfg.optim.lr = 1.0   # large steps would break the constraint without it
    method = get_method("source_only")(cfg, 6, 1)
    trainer = Trainer(method, cfg, "unused", tiny_set())
    trainer.apply_step(trainer.steps[0], batch(type(method)))
    norms = method.encoder.net[0].weight.detach().norm(dim=1)
    assert float(norms.max()) <= 1.0 + 1e-5


def test_method_names_without_import_match_the_registry():
    """resolve_config checks a config's method by file name (no torch import)."""
    assert method_names() == available() == ["coral", "dann", "mrd", "source_only"]
