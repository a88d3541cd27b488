"""Frame-level inputs: fixed-length and segment rows, per-utterance decisions, conv_pool."""
import kaldiio
import numpy as np
import pytest
import torch

from serda.config import load_config
from serda.data.features import compute_corpus_stats, load_frame_matrices
from serda.data.rows import fixed_length, load_rows, segment_starts, segmented
from serda.data.table import write_table
from serda.methods import build_method
from serda.train.data import SetTensors
from serda.train.evaluate import predict_set


def frames(n, dim=3, start=0.0):
    """(n, dim) with row i = start + i (+ 10 * dim index)."""
    return (start + np.arange(n)[:, None] + 10.0 * np.arange(dim)[None, :]).astype(np.float32)


def test_fixed_length_centre_crops_and_pads_with_zero_or_minimum():
    long, short = frames(10), frames(3, start=5.0)
    out = fixed_length([long, short], 4, "min")
    assert out.shape == (2, 4, 3) and out.dtype == np.float32
    np.testing.assert_array_equal(out[0], long[3:7])             # start (10 - 4) // 2 = 3
    np.testing.assert_array_equal(out[1, :3], short)
    np.testing.assert_array_equal(out[1, 3], short.min(axis=0))  # [5, 15, 25]
    zero = fixed_length([short], 5, "zero")
    np.testing.assert_array_equal(zero[0, 3:], np.zeros((2, 3)))
    np.testing.assert_array_equal(fixed_length([frames(4)], 4, "zero")[0], frames(4))


def test_segments_cover_the_utterance_with_the_stated_hop():
    assert segment_starts(10, 4, 0) == [0, 4]            # no overlap: frames 8-9 unused
    assert segment_starts(10, 4, 2) == [0, 2, 4, 6]      # 1 + (10 - 4) // 2 windows
    assert segment_starts(3, 4, 2) == [0]                # shorter: one padded window
    x, group = segmented([frames(10), frames(3)], 4, 2, "zero")
    assert x.shape == (5, 4, 3) and group.tolist() == [0, 0, 0, 0, 1]
    np.testing.assert_array_equal(x[2], frames(10)[4:8])
    np.testing.assert_array_equal(x[4, 3], np.zeros(3))


def frame_dir(path, lengths, dim=3, seed=0, corpus="toy"):
    path.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    utts = [f"s{i % 2}-u{i}" for i in range(len(lengths))]
    with kaldiio.WriteHelper(f"ark,scp:{path}/feats.ark,{path}/feats.scp") as w:
        for u, n in zip(utts, lengths):
            w(u, rng.normal(3.0, 2.0, size=(n, dim)).astype(np.float32))
    write_table(path / "utt2spk", {u: u.split("-")[0] for u in utts})
    write_table(path / "utt2num_frames", {u: str(n) for u, n in zip(utts, lengths)})
    write_table(path / "utt2arousal", {u: str(1 + i % 5) for i, u in enumerate(utts)})
    (path / "attributes.yaml").write_text(f"corpus: {corpus}\nattributes:\n  arousal: "
                                          "{scale: [1, 5]}\n")
    return path


def test_frames_are_normalised_per_dimension_over_all_frames(tmp_path):
    d = frame_dir(tmp_path / "f", [7, 12, 30])
    compute_corpus_stats([d], [d])
    stats = np.load(d / "norm_stats.npz")
    assert int(stats["count"]) == 49                  # frames, not utterances
    utts, mats = load_frame_matrices(d, "zscore")
    allx = np.concatenate(mats)
    np.testing.assert_allclose(allx.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(allx.std(axis=0), 1.0, atol=1e-5)
    cfg = load_config(None, ["input.layout=segments", "input.frames=10", "input.hop=5"])
    rows = load_rows(d, "zscore", cfg.input)
    # sorted: s0-u0 (7 frames: 1 padded row), s0-u2 (30: 1 + 20 // 5 = 5), s1-u1 (12: 1)
    assert rows.utts == ["s0-u0", "s0-u2", "s1-u1"]
    assert rows.x.shape == (7, 10, 3) and rows.group.tolist() == [0, 1, 1, 1, 1, 1, 2]
    with pytest.raises(Exception, match="frame-level features"):
        load_rows(d, "zscore", load_config(None, []).input)


def test_an_utterance_decision_is_the_mean_of_its_rows_posteriors():
    cfg = load_config(None, ["task.type=classification", "input.layout=segments",
                             "model.encoder.type=conv_pool", "model.encoder.channels=4",
                             "model.*.hidden=4"])
    torch.manual_seed(0)
    method = build_method(cfg, (6, 3), 3)
    x = torch.randn(5, 6, 3)
    group = torch.tensor([0, 0, 0, 1, 1])
    data = SetTensors("s", ["a", "b"], x, torch.zeros(5, dtype=torch.long), group,
                      torch.zeros(2, dtype=torch.long))
    method.eval()
    with torch.no_grad():
        post = method.predict(x).softmax(dim=1)
    got = predict_set(method, data, "posterior")
    np.testing.assert_allclose(got, torch.stack([post[:3].mean(0), post[3:].mean(0)]).numpy(),
                               rtol=1e-6)
    with torch.no_grad():
        logits = method.predict(x)
    np.testing.assert_allclose(predict_set(method, data, "output")[1],
                               logits[3:].mean(0).numpy(), rtol=1e-6)


@pytest.mark.parametrize("pool, width", [("mean", 5), ("max", 5), ("mean_max", 10)])
def test_conv_pool_shapes(pool, width):
    cfg = load_config(None, ["model.encoder.type=conv_pool", "model.encoder.channels=5",
                             "model.encoder.layers=3", "model.encoder.stride=2",
                             f"model.encoder.pool={pool}"])
    method = build_method(cfg, (750, 26), 1)
    x = torch.randn(4, 750, 26)
    assert method.encoder(x).shape == (4, width) and method.predict(x).shape == (4,)
    assert [h.shape for h in method.encoder.hidden_outputs(x)] == [(4, width)] * 3
    with pytest.raises(ValueError, match="takes frame sequences"):
        build_method(cfg, (26,), 1)
