"""The three normalisation schemes against direct numpy computations."""
import numpy as np
import pytest

from serda.data.normalize import apply_norm, fit_norm_stats


@pytest.fixture
def feats():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 5)) * [1, 10, 0.1, 3, 1] + [0, 5, -2, 100, 0]
    x[:3, 0] = [80.0, -90.0, 70.0]   # outliers in feature 0
    x[:, 4] = 7.0                    # a constant feature
    return x


def test_abdelwahab_trimmed_statistics_and_outlier_clamp(feats):
    stats = fit_norm_stats(feats)
    z = apply_norm(feats, stats, "abdelwahab")
    for j in range(4):
        col = feats[:, j]
        lo, hi = np.percentile(col, 5), np.percentile(col, 95)
        inside = col[(col >= lo) & (col <= hi)]
        ref = (col - inside.mean()) / inside.std()
        ref[np.abs(ref) > 10] = 0.0
        np.testing.assert_allclose(z[:, j], ref, rtol=1e-5, atol=1e-6)
    assert np.all(z[:3, 0] == 0.0)        # |z| > 10 set to 0
    assert np.all(z[:, 4] == 0.0)         # constant feature -> 0
    assert z.dtype == np.float32


def test_minmax_maps_fitting_data_to_unit_interval(feats):
    stats = fit_norm_stats(feats)
    y = apply_norm(feats, stats, "minmax")
    ref = 2 * (feats[:, :4] - feats[:, :4].min(0)) / np.ptp(feats[:, :4], axis=0) - 1
    np.testing.assert_allclose(y[:, :4], ref, rtol=1e-5, atol=1e-6)
    assert y[:, :4].min() == -1.0 and y[:, :4].max() == 1.0
    assert np.all(y[:, 4] == 0.0)


def test_zscore(feats):
    stats = fit_norm_stats(feats)
    y = apply_norm(feats[:10], stats, "zscore")
    ref = (feats[:10, :4] - feats[:, :4].mean(0)) / feats[:, :4].std(0)
    np.testing.assert_allclose(y[:, :4], ref, rtol=1e-5, atol=1e-6)
    assert np.all(y[:, 4] == 0.0)


def test_unknown_scheme_and_empty_input(feats):
    with pytest.raises(ValueError, match="unknown normalisation"):
        apply_norm(feats, fit_norm_stats(feats), "l2")
    with pytest.raises(ValueError):
        fit_norm_stats(np.zeros((0, 3)))


def corpus_feature_dir(path, corpus, n, shift, scale, seed):
    """A feature dir of ``corpus`` with n 4-dim vectors."""
    import kaldiio

    from serda.data.table import write_table
    path.mkdir(parents=True)
    x = np.random.default_rng(seed).normal(shift, scale, size=(n, 4)).astype(np.float32)
    utts = [f"{corpus}-s{i % 2}-u{i:02d}" for i in range(n)]
    with kaldiio.WriteHelper(f"ark,scp:{path}/feats.ark,{path}/feats.scp") as w:
        for u, v in zip(utts, x):
            w(u, v)
    write_table(path / "utt2spk", {u: u.rsplit("-", 1)[0] for u in utts})
    (path / "attributes.yaml").write_text(f"corpus: {corpus}\n")
    (path / ".done").write_text(f"{corpus}\n")
    return path


def test_pooled_set_normalises_each_utterance_with_its_own_corpus(tmp_path):
    """IEMOCAP + MSP-IMPROV as one source: every row of the pooled set equals
    the row of its own corpus' set normalised with that corpus' statistics."""
    import subprocess
    import sys

    from conftest import UTILS, run_env
    from serda.data.features import load_utterance_matrix
    from serda.errors import InputError

    a = corpus_feature_dir(tmp_path / "a_train", "a", 30, 0.0, 1.0, 0)
    b = corpus_feature_dir(tmp_path / "b_train", "b", 20, 50.0, 10.0, 1)
    pooled = tmp_path / "ab_train"
    subprocess.run([sys.executable, str(UTILS / "combine_data.py"), str(pooled), str(a), str(b)],
                   check=True, env=run_env(), capture_output=True)
    for fit in (a, b):
        subprocess.run([sys.executable, "-m", "serda.bin.compute_norm_stats", "--fit", str(fit),
                        "--pooled", str(pooled)], check=True, env=run_env(), capture_output=True)
    assert sorted(p.name for p in (pooled / "norm_stats_by_corpus").glob("*.npz")) == \
        ["a.npz", "b.npz"]
    assert not (pooled / "norm_stats.npz").exists()
    for scheme in ("zscore", "abdelwahab"):
        utts, x = load_utterance_matrix(pooled, scheme)
        own = {}
        for d in (a, b):
            u, y = load_utterance_matrix(d, scheme)
            own.update(zip(u, y))
        np.testing.assert_array_equal(x, np.stack([own[u] for u in utts]))
    _, z = load_utterance_matrix(pooled, "zscore")
    assert abs(z.mean()) < 1e-5                # both corpora centred, not the pool
    (pooled / "norm_stats_by_corpus" / "b.npz").unlink()
    with pytest.raises(InputError, match="norm_stats_by_corpus/b.npz: missing"):
        load_utterance_matrix(pooled, "zscore")
