"""The cross-corpus shift diagnostics: domain accuracy on known problems,
decision shares by hand."""
import numpy as np
import pytest

from serda import layout
from serda.bin.shift_report import decided_share, domain_accuracy


def test_domain_accuracy_is_chance_for_one_distribution_and_high_for_two():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(200, 3)), rng.normal(size=(200, 3))
    assert domain_accuracy(a, b) == pytest.approx(50, abs=8)
    # equal means and variances, different shapes: what per-corpus normalisation leaves
    c = rng.choice([-1.0, 1.0], size=(200, 3))
    assert domain_accuracy(a, c) > 90


def test_decided_share_is_the_mean_over_trials(tmp_path):
    for k, preds in ((1, [1, 1, 0, 0]), (2, [1, 0, 0, 0])):
        d = layout.decode_dir(layout.trial_dir(tmp_path, k), "t_test")
        d.mkdir(parents=True)
        (d / layout.PRED).write_text("".join(f"u{i} {p}\n" for i, p in enumerate(preds)))
    assert decided_share(tmp_path, "t_test") == pytest.approx((50 + 25) / 2)
