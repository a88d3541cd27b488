"""Losses, GRL and schedules against autograd, numpy and hand values."""
import math

import numpy as np
import pytest
import torch

from serda.config import ScheduleConfig
from serda.losses.coral import coral_loss
from serda.losses.discrepancy import regressor_discrepancy
from serda.losses.domain import domain_accuracy, domain_cross_entropy
from serda.losses.grl import grad_reverse
from serda.train.schedules import schedule_value


@pytest.mark.parametrize("coef", [0.0, 0.3, 1.0])
def test_grl_gradient_is_minus_coef_times_plain_gradient(coef):
    torch.manual_seed(0)
    enc = torch.nn.Linear(5, 4)
    head = torch.nn.Linear(4, 2)
    x = torch.randn(8, 5)
    d = torch.tensor([0, 1] * 4)

    def encoder_grad(reverse):
        enc.zero_grad()
        head.zero_grad()
        z = enc(x)
        z = grad_reverse(z, coef) if reverse else z
        domain_cross_entropy(head(z), d).backward()
        return enc.weight.grad.clone(), head.weight.grad.clone()

    plain_enc, plain_head = encoder_grad(False)
    rev_enc, rev_head = encoder_grad(True)
    torch.testing.assert_close(rev_enc, -coef * plain_enc)
    torch.testing.assert_close(rev_head, plain_head)   # the head is not reversed
    assert torch.equal(grad_reverse(x, coef), x)        # identity forward


def test_domain_cross_entropy_and_accuracy_by_hand():
    logits = torch.tensor([[2.0, 0.0], [0.0, 1.0], [1.0, 3.0]])
    d = torch.tensor([0, 0, 1])
    ref = -np.mean([2 - np.log(np.exp(2) + 1), 0 - np.log(1 + np.e), 3 - np.log(np.e + np.e ** 3)])
    assert float(domain_cross_entropy(logits, d)) == pytest.approx(ref, rel=1e-6)
    assert float(domain_accuracy(logits, d)) == pytest.approx(2 / 3)


def test_coral_equals_numpy():
    rng = np.random.default_rng(0)
    zs, zt = rng.normal(size=(30, 6)), rng.normal(size=(20, 6)) * 2 + 1
    cs, ct = np.cov(zs, rowvar=False), np.cov(zt, rowvar=False)
    ref = np.sum((cs - ct) ** 2) / (4 * 6 ** 2)
    got = coral_loss(torch.tensor(zs), torch.tensor(zt))
    assert float(got) == pytest.approx(ref, rel=1e-10)
    assert float(coral_loss(torch.tensor(zs), torch.tensor(zs))) == 0.0


def test_regressor_discrepancy_is_mean_absolute_difference():
    f1, f2 = torch.tensor([1.0, -2.0, 0.5]), torch.tensor([0.0, 1.0, 0.5])
    assert float(regressor_discrepancy(f1, f2)) == pytest.approx(4 / 3)


def test_schedules_hold_then_ramp_per_iteration():
    """Epochs 0..H-1 at 0, then the ramp over the remaining iterations."""
    const = ScheduleConfig(schedule="constant", max=0.3)
    assert [schedule_value(const, e, 10) for e in (0, 9)] == [0.3, 0.3]
    E, H, N = 100, 10, 4                      # epochs, hold, iterations per epoch
    total = (E - H) * N
    for shape, f in (("linear", lambda p: p),
                     ("ganin", lambda p: 2 / (1 + math.exp(-10 * p)) - 1)):
        cfg = ScheduleConfig(schedule=shape, hold_epochs=H, max=1.0)
        value = lambda e, i: schedule_value(cfg, e, E, i, N)  # noqa: E731
        assert value(0, 0) == value(9, 0) == value(9, N - 1) == 0.0    # the hold: epochs 0-9
        assert value(10, 0) == 0.0                                      # the ramp starts at 0
        assert value(10, 1) == pytest.approx(f(1 / total)) and value(10, 1) > 0
        assert value(11, 0) == pytest.approx(f(N / total))
        assert value(11, 2) == pytest.approx(f((N + 2) / total))
        assert value(E - 1, N - 1) == pytest.approx(f((total - 1) / total))
        assert value(E - 1, N - 1) > 0.99 if shape == "ganin" else value(E - 1, N - 1) > 0.997
        ramp = [value(e, i) for e in range(E) for i in range(N)]
        assert all(b >= a for a, b in zip(ramp, ramp[1:]))
    # the ganin shape rises faster than the linear one, both end near max
    g = ScheduleConfig(schedule="ganin", hold_epochs=H)
    lin = ScheduleConfig(schedule="linear", hold_epochs=H)
    assert schedule_value(g, 20, E, 0, N) > schedule_value(lin, 20, E, 0, N)
    switch = ScheduleConfig(schedule="switch_on", switch_epoch=20, max=1.0)
    assert [schedule_value(switch, e, 50) for e in (19, 20, 49)] == [0.0, 1.0, 1.0]
    with pytest.raises(ValueError):
        schedule_value(ScheduleConfig(schedule="cosine"), 0, 5)


def test_dann_domain_loss_is_eq1_sum_of_the_two_domains_means():
    """2 source + 3 target rows, by hand: (CE_s1 + CE_s2) / 2 + (CE_t1 + CE_t2 + CE_t3) / 3."""
    from serda.losses.domain import source_target_loss
    logits = torch.tensor([[2.0, 0.0], [0.5, 1.5], [0.0, 1.0], [1.0, -1.0], [0.3, 0.3]])

    def ce(row, label):
        z = logits[row].tolist()
        return math.log(math.exp(z[0]) + math.exp(z[1])) - z[label]
    source = (ce(0, 0) + ce(1, 0)) / 2
    target = (ce(2, 1) + ce(3, 1) + ce(4, 1)) / 3
    assert float(source_target_loss(logits, 2)) == pytest.approx(source + target, rel=1e-6)
    one_mean = (2 * source + 3 * target) / 5
    assert float(source_target_loss(logits, 2, "mean")) == pytest.approx(one_mean, rel=1e-6)
