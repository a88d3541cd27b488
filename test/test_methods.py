"""One contract over every registered method (no name list), plus MRD's step isolation."""
import io

import pytest
import torch

import serda.losses.grl as grl
from serda.config import ConfigError, load_config
from serda.methods import available, build_method, get_method, method_names
from serda.methods.base import Batch
from serda.train.one_model import OneModel

D, B, CLASSES = 6, 8, 3


def tiny_cfg(method, task="regression", *extra):
    """The method's own defaults, shrunk: every part 8 wide, no dropout."""
    cfg = load_config(None, [f"method={method}", f"task.type={task}", "model.*.hidden=8",
                             "model.*.dropout=0.0", "model.encoder.dropout_in=0.0",
                             "model.encoder.max_norm=1.0", "train.batch_size=8",
                             "train.epochs=1", *extra])
    if get_method(method).uses_target_labels:
        cfg.train.target_shots = 2
    return cfg


def domain_codes(cls, cfg, rows, seed):
    g = torch.Generator().manual_seed(seed)
    return {a: torch.randint(0, 3, (rows,), generator=g) for a in cls.domain_attributes(cfg)}


def tiny_batch(cls, cfg, classes=None):
    """B labelled rows, and what the method declares it uses."""
    g = torch.Generator().manual_seed(0)
    xs = torch.randn(B, D, generator=g)
    ys = torch.randint(0, classes, (B,), generator=g) if classes else xs[:, 0] * 2 + 0.1
    fields = {"xs": xs, "ys": ys}
    if cls.reads_target(cfg):
        fields["xt"] = torch.randn(B, D, generator=g) + 1.0
    if cls.pseudo_labels:
        fields["pt"] = torch.randint(0, classes, (B,), generator=g)
        fields["wt"] = (torch.arange(B) % 2).float()
    if cls.uses_target_labels:
        fields["xl"] = torch.randn(4, D, generator=g) + 1.0
        fields["yl"] = torch.randint(0, classes, (4,), generator=g) if classes else \
            fields["xl"][:, 0]
    if cls.domain_attributes(cfg):
        fields["ds"] = domain_codes(cls, cfg, B, 1)
        fields["dt"] = domain_codes(cls, cfg, B, 2) if cls.reads_target(cfg) else None
        fields["dl"] = domain_codes(cls, cfg, 4, 3) if cls.uses_target_labels else None
    return Batch(**fields)


def build(name, task, *extra):
    cfg = tiny_cfg(name, task, *extra)
    cls = get_method(name)
    sizes = {a: 3 for a in cls.domain_attributes(cfg)}
    classes = CLASSES if task == "classification" else None
    return cfg, cls, build_method(cfg, (D,), classes or 1, sizes), classes


class CountingIdentity:
    """Stands in for the GRL: identity forward and backward, counts its uses."""
    calls = 0

    @classmethod
    def apply(cls, x, coef):
        cls.calls += 1
        return x


def encoder_grads(method, loss_fn):
    method.zero_grad()
    loss_fn().backward(retain_graph=True)
    return [p.grad.clone() if p.grad is not None else torch.zeros_like(p)
            for p in method.encoder.parameters()]


CONTRACT = [(name, task) for name in available() for task in get_method(name).tasks]


@pytest.mark.parametrize("name, task", CONTRACT)
def test_method_contract(name, task, monkeypatch):
    torch.manual_seed(0)
    cfg, cls, method, classes = build(name, task)
    method.scheduled.update({k: 0.5 for k in method.scheduled})
    b = tiny_batch(cls, cfg, classes)
    reached, used_grl, reversed_losses = False, 0, []
    for step in method.steps():
        assert set(step.parts) <= set(method.parts) and step.repeat >= 1
        method.zero_grad()
        losses = step.loss(b)
        assert losses and all(torch.isfinite(v).all() for v in losses.values())
        sum(v for k, v in losses.items() if not k.startswith("_")).backward()
        if any(p.grad is not None and p.grad.abs().sum() > 0 for p in method.encoder.parameters()):
            reached = True
        # a loss whose path to the encoder passes a GRL reaches it reversed and scaled by
        # the coefficient: its gradient with the GRL replaced by the identity, times -coef
        for key in [k for k in losses if not k.startswith("_")]:
            torch.manual_seed(1)
            with_grl = encoder_grads(method, lambda: step.loss(b)[key])
            CountingIdentity.calls = 0
            monkeypatch.setattr(grl, "_GradReverse", CountingIdentity)
            torch.manual_seed(1)
            plain = encoder_grads(method, lambda: step.loss(b)[key])
            monkeypatch.undo()
            used_grl += CountingIdentity.calls
            if all(torch.allclose(g, p) for g, p in zip(with_grl, plain)):
                continue                                 # no GRL on this loss' path
            for g, p in zip(with_grl, plain):
                torch.testing.assert_close(g, -0.5 * p)
            reversed_losses.append(key)
    assert reached, "no step sends a gradient to the encoder"
    assert bool(used_grl) == bool(reversed_losses), "a GRL is used but reverses no loss"
    method.eval()
    out = method.predict(b.xs)
    assert out.shape == ((B,) if classes is None else (B, classes))
    buf = io.BytesIO()
    torch.save(method.state_dict(), buf)
    buf.seek(0)
    twin = build(name, task)[2]
    twin.load_state_dict(torch.load(buf))
    twin.eval()
    torch.testing.assert_close(twin.predict(b.xs), out)


@pytest.mark.parametrize("name", available())
def test_method_settings_are_its_own(name):
    """The model/adapt keys a config may set are exactly the method's declared ones."""
    cls = get_method(name)
    cfg = load_config(None, [f"method={name}"])
    assert type(cfg.model) is cls.Model and type(cfg.adapt) is cls.Adapt
    assert cls.parts[0] == "encoder" and set(vars(cfg.model)) <= set(cls.parts)
    others = {k for n in available() if n != name for k in vars(get_method(n).Model())}
    for key in sorted(others - set(vars(cfg.model))):
        with pytest.raises(ConfigError, match=f"unknown key 'model.{key}'.*{name}"):
            load_config(None, [f"method={name}", f"model.{key}.layers=1"])


def test_dann_grl_reverses_the_domain_gradient_by_lambda():
    """The contract's GRL check is not vacuous: DANN's domain loss passes a GRL."""
    cfg, cls, method, _ = build("dann", "regression")
    method.scheduled["lambda"] = 0.5
    CountingIdentity.calls = 0
    real = grl._GradReverse
    grl._GradReverse = CountingIdentity
    try:
        method.steps()[0].loss(tiny_batch(cls, cfg))
    finally:
        grl._GradReverse = real
    assert CountingIdentity.calls == 1


def snapshot(module):
    return {n: p.detach().clone() for n, p in module.named_parameters()}


def changed(before, module):
    return {n for n, p in module.named_parameters() if not torch.equal(before[n], p)}


def test_mrd_steps_update_only_their_parts():
    torch.manual_seed(0)
    cfg, cls, method, _ = build("mrd", "regression")
    engine = OneModel(method, cfg)
    steps = {s.name: i for i, s in enumerate(engine.steps)}
    assert engine.steps[steps["encoder"]].repeat == cfg.adapt.encoder_steps == 3
    b = tiny_batch(cls, cfg)
    engine.update(steps["source"], b)
    before = snapshot(method)
    engine.update(steps["regressors"], b)
    moved = changed(before, method)
    assert moved and all(n.startswith(("task_head.", "task_head2.")) for n in moved)
    assert any(n.startswith("task_head2.") for n in moved)
    before = snapshot(method)
    engine.update(steps["encoder"], b)
    moved = changed(before, method)
    assert moved and all(n.startswith("encoder.") for n in moved)


def running_stats(module):
    return {n: b.clone() for n, b in module.named_buffers() if "running" in n}


@pytest.mark.parametrize("frozen_bn", ["keep", "update"])
@pytest.mark.parametrize("stacked", [False, True])
def test_a_frozen_part_keeps_its_weights_and_as_set_its_batchnorm_statistics(frozen_bn, stacked):
    """MRD's step 2 trains the regressors with the encoder frozen, step 3 the encoder
    with the regressors frozen: the frozen part's parameters never move; its running
    statistics move only with train.frozen_bn=update."""
    from serda.train.stacked import StackedModels
    torch.manual_seed(0)
    cfg, cls, method, _ = build("mrd", "regression", f"train.frozen_bn={frozen_bn}")
    if stacked:
        engine = StackedModels(lambda k: build("mrd", "regression",
                                             f"train.frozen_bn={frozen_bn}")[2], cfg, [1, 2])
        b = tiny_batch(cls, cfg)
        b = type(b)(**{k: torch.stack([v, v + 0.1]) for k, v in b.tree().items()})

        def state(part):
            return {n: t.clone() for n, t in {**engine.params, **engine.buffers}.items()
                    if n.startswith(part + ".")}
    else:
        engine = OneModel(method, cfg)
        b = tiny_batch(cls, cfg)

        def state(part):
            module = getattr(method, part)
            return {**{n: p.detach().clone() for n, p in module.named_parameters()},
                    **running_stats(module)}
    steps = {s.name: i for i, s in enumerate(engine.steps)}
    for step, frozen in (("regressors", ("encoder",)), ("encoder", ("task_head", "task_head2"))):
        before = {p: state(p) for p in frozen}
        engine.update(steps[step], b)
        for part in frozen:
            after = state(part)
            for name, value in before[part].items():
                moved = not torch.equal(value, after[name])
                if "running" in name:
                    assert moved == (frozen_bn == "update"), (step, name)
                elif "num_batches" not in name:
                    assert not moved, (step, name)


def test_optimisers_per_part_are_shared_by_the_steps_per_step_are_not():
    cfg, cls, method, _ = build("mrd", "regression", "optim.state=per_part")
    engine = OneModel(method, cfg)
    assert sorted(engine.optimizers) == ["encoder", "task_head", "task_head2"]
    assert engine.step_optimizers == {"source": ["encoder", "task_head", "task_head2"],
                                      "regressors": ["task_head", "task_head2"],
                                      "encoder": ["encoder"]}
    b = tiny_batch(cls, cfg)
    for i in range(len(engine.steps)):
        engine.update(i, b)
    first = next(method.encoder.parameters())
    assert engine.optimizers["encoder"].state[first]["step"] == 2      # steps 1 and 3
    cfg, cls, method, _ = build("mrd", "regression")                      # per_step (default)
    engine = OneModel(method, cfg)
    assert sorted(engine.optimizers) == ["encoder", "regressors", "source"]
    for i in range(len(engine.steps)):
        engine.update(i, b)
    first = next(method.encoder.parameters())
    assert engine.optimizers["source"].state[first]["step"] == 1
    assert engine.optimizers["encoder"].state[first]["step"] == 1


def test_max_norm_constraint_holds_after_an_update():
    torch.manual_seed(0)
    cfg, cls, method, _ = build("source_only", "regression", "optim.lr=1.0")
    engine = OneModel(method, cfg)   # large steps would break the constraint without it
    engine.update(0, tiny_batch(cls, cfg))
    norms = method.encoder.net[0].weight.detach().norm(dim=1)
    assert float(norms.max()) <= 1.0 + 1e-5


def test_method_names_without_import_match_the_registry():
    """The config checks a method name by file name (no torch import needed)."""
    assert method_names() == available()
    assert {"coral", "dann", "mrd", "source_only"} <= set(available())
