"""Report figures: the numbers plotted come from the trials' metrics.jsonl."""
import json

import numpy as np
import pytest

from serda.bin import plot_domain_acc
from serda.errors import InputError


def write_trial(path, train, dev, lam):
    path.mkdir(parents=True)
    rows = [{"epoch": e, "lambda": l, "main/task": 1.0, "main/domain_acc": t, "dev/domain_acc": d}
            for e, (t, d, l) in enumerate(zip(train, dev, lam))]
    (path / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))


def test_domain_accuracy_curves_average_trials_and_plot(tmp_path):
    write_trial(tmp_path / "dann/trial1", [0.9, 0.8, 0.5], [0.85, 0.7, 0.55], [0, 0.5, 1])
    write_trial(tmp_path / "dann/trial2", [0.7, 0.6, 0.5], [0.75, 0.6, 0.45], [0, 0.5, 1])
    epochs, train, dev, lam = plot_domain_acc.read_curves(tmp_path / "dann")
    np.testing.assert_array_equal(epochs, [0, 1, 2])
    np.testing.assert_allclose(train.mean(axis=0), [0.8, 0.7, 0.5])
    np.testing.assert_allclose(dev.mean(axis=0), [0.8, 0.65, 0.5])
    np.testing.assert_allclose(lam, [0, 0.5, 1])
    out = tmp_path / "figs" / "acc.png"
    assert plot_domain_acc.main(["--exp", str(tmp_path), "--systems", "dann", "--out",
                                 str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10000


def test_method_without_domain_head_is_refused(tmp_path):
    (tmp_path / "src/trial1").mkdir(parents=True)
    (tmp_path / "src/trial1/metrics.jsonl").write_text('{"epoch": 0, "main/task": 1.0}\n')
    with pytest.raises(InputError, match="no domain classifier"):
        plot_domain_acc.read_curves(tmp_path / "src")
