"""The ``ssl`` feature against the transformers library itself, on tiny
randomly initialised checkpoints of every family (built here, offline)."""
import subprocess
import sys

import numpy as np
import pytest
import torch

from conftest import run_env
from serda.errors import InputError, SerdaError
from serda.features.spec import extractor_of, write_spec
from serda.features.ssl import SSLFeatures
from serda.features.ssl_model import FAMILIES, WAVEFORM_FAMILIES, weights_sha256
from serda.features.ssl_random import save_random_checkpoint
from serda.nets import build_encoder
from serda.nets.mlp import MLPEncoder, MLPEncoderConfig


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory):
    root = tmp_path_factory.mktemp("ssl")
    return {f: save_random_checkpoint(f, "tiny", root / f) for f in FAMILIES}


def speech_like(seconds, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * 16000)) / 16000
    return (0.3 * np.sin(2 * np.pi * (120 + 40 * seed) * t) * np.sin(2 * np.pi * 0.7 * t)
            + 0.05 * rng.standard_normal(t.size)).astype(np.float32)


def library_states(ckpt, family, x):
    """Every hidden state (T, D) of ``x`` as the library computes it alone:
    its own feature extractor, its own model, valid frames only."""
    import transformers
    model = transformers.AutoModel.from_pretrained(str(ckpt)).eval()
    if family == "whisper":
        model = model.get_encoder()
        inputs = transformers.WhisperFeatureExtractor.from_pretrained(str(ckpt))(
            x, sampling_rate=16000, return_tensors="pt").input_features
        frames = int(np.ceil(len(x) / 320))
    else:
        inputs = transformers.Wav2Vec2FeatureExtractor.from_pretrained(str(ckpt))(
            x, sampling_rate=16000, return_tensors="pt").input_values
        frames = None
    with torch.no_grad():
        states = model(inputs, output_hidden_states=True).hidden_states
    return [h[0, :frames].numpy() for h in states]


@pytest.mark.parametrize("family", FAMILIES)
def test_features_are_the_library_hidden_states_pooled_by_hand(checkpoints, family):
    x = speech_like(1.3)
    states = library_states(checkpoints[family], family, x)
    assert len(states) == 3                              # CNN / mel output + 2 layers
    expected = {
        ("all", "mean"): np.stack([h.mean(0) for h in states]),
        ("0,2", "mean_std"): np.stack([np.concatenate([h.mean(0), h.std(0)])
                                       for h in (states[0], states[2])]),
        ("1", "none"): states[1],
        ("last", "none"): states[2],
        ("0,2", "none"): (states[0] + states[2]) / 2,
    }
    for (layers, pooling), want in expected.items():
        got = SSLFeatures(model=str(checkpoints[family]), layers=layers,
                          pooling=pooling).compute(x, 16000)
        assert got.shape == want.shape, (layers, pooling)
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=2e-5, err_msg=f"{layers} {pooling}")


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("pooling", ["mean", "none"])
def test_batched_features_equal_one_by_one(checkpoints, family, pooling):
    """Padding does not leak: utterances of different lengths batched together
    (one batch, and batches of at most 1.5 s) get their features alone."""
    xs = [speech_like(s, seed=i) for i, s in enumerate((1.0, 0.37, 2.4, 1.61))]
    ex = SSLFeatures(model=str(checkpoints[family]), pooling=pooling)
    alone = [ex.compute(x, 16000) for x in xs]
    for batch_s in (120.0, 1.5):
        ex.budget = batch_s * 16000
        for a, b in zip(ex.compute_many(xs), alone):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=2e-5)


@pytest.mark.parametrize("family", WAVEFORM_FAMILIES)
def test_chunked_features_are_close_to_the_whole_file(checkpoints, family):
    """23 s cut into four 10 s windows overlapping by 4 s: the same frames, each
    within 3 % of the largest value of the whole file's (attention is global,
    so a window's frames cannot equal the whole file's), the means within 1 %."""
    x = speech_like(23.0)
    ckpt = str(checkpoints[family])
    for pooling, tolerance in (("none", 3e-2), ("mean", 1e-2)):
        whole = SSLFeatures(model=ckpt, pooling=pooling, chunk_s=60.0).compute(x, 16000)
        cut = SSLFeatures(model=ckpt, pooling=pooling, chunk_s=10.0, overlap_s=4.0)
        assert len(cut.pieces(0, len(x))) == 4
        chunked = cut.compute(x, 16000)
        assert chunked.shape == whole.shape
        assert np.abs(chunked - whole).max() / np.abs(whole).max() < tolerance, pooling


def test_whisper_windows_a_long_file_into_30_s_and_keeps_every_frame(checkpoints):
    x = speech_like(41.0)
    ex = SSLFeatures(model=str(checkpoints["whisper"]), pooling="none", chunk_s=30.0)
    frames = ex.compute(x, 16000)
    assert frames.shape == (int(np.ceil(len(x) / 320)), 32) and np.isfinite(frames).all()
    with pytest.raises(SerdaError, match="longer than the Whisper encoder's 30 s window"):
        SSLFeatures(model=str(checkpoints["whisper"]), chunk_s=40.0, overlap_s=4.0)


def check_feature(*opts, env=None):
    r = subprocess.run([sys.executable, "-m", "serda.features.spec", "check", "ssl", *opts],
                       capture_output=True, text=True, env=env or run_env())
    return r.returncode, r.stderr.strip()


def test_a_missing_or_unusable_model_is_one_line(checkpoints, tmp_path):
    env = run_env()
    env["HF_HUB_CACHE"] = str(tmp_path / "hub")
    env["HF_HUB_OFFLINE"] = "1"
    cases = {
        (f"model={tmp_path}/nowhere",): "no checkpoint directory",
        ("model=microsoft/wavlm-base-plus",): f"local Hugging Face cache ({tmp_path}/hub)",
        ("layers=2",): "needs model=",
        (f"model={checkpoints['wavlm']}", "layers=7"): "hidden states 0-2",
        (f"model={checkpoints['wavlm']}", "pooling=max"): "pooling='max'",
        (f"model={checkpoints['wavlm']}", "dtype=float16"): "needs device=cuda",
        (f"model={checkpoints['wavlm']}", "stride=2"): "no option(s) ['stride']",
        (f"model={tmp_path}",): "config.json",
    }
    for opts, message in cases.items():
        code, err = check_feature(*opts, env=env)
        assert code == 1 and message in err and len(err.splitlines()) == 1, (opts, err)
    code, err = check_feature("model=microsoft/wavlm-base-plus", env=env)
    assert "hf download microsoft/wavlm-base-plus --local-dir" in err


def test_features_made_by_other_weights_are_refused(checkpoints, tmp_path):
    ckpt = save_random_checkpoint("hubert", "tiny", tmp_path / "model", seed=3)
    feats = tmp_path / "feats"
    feats.mkdir()
    provenance = SSLFeatures(model=str(ckpt)).provenance()
    write_spec(feats, "ssl", {"model": str(ckpt)}, provenance)
    assert extractor_of(feats).family == "hubert"
    moved = tmp_path / "elsewhere"                                 # the same weights elsewhere
    ckpt.rename(moved)
    assert weights_sha256(extractor_of(feats, moved).ckpt) == provenance["weights_sha256"]
    save_random_checkpoint("hubert", "tiny", moved, seed=4)       # other weights, same place
    with pytest.raises(InputError, match=r"features.yaml: the features were made by weights "
                                         r"with SHA-256 [0-9a-f]{16}\.\.\., but"):
        extractor_of(feats, moved)


def test_the_mlp_encoder_sums_layers_with_learnt_softmax_weights():
    torch.manual_seed(0)
    cfg = MLPEncoderConfig(layers=1, hidden=4, dropout_in=0.0, dropout=0.0, batchnorm=False,
                           max_norm=0.0)
    enc = MLPEncoder((3, 5), cfg).eval()
    with torch.no_grad():
        enc.layer_weights.copy_(torch.tensor([0.0, np.log(2.0), np.log(5.0)]))
    x = torch.randn(7, 3, 5)
    mixed = (1 * x[:, 0] + 2 * x[:, 1] + 5 * x[:, 2]) / 8       # softmax(w) = (1, 2, 5) / 8
    torch.testing.assert_close(enc(x), enc.net(mixed))
    flat = MLPEncoder((3, 5), MLPEncoderConfig(layer_weights=False, hidden=4))
    assert flat.net[1].in_features == 15 and not hasattr(flat, "layer_weights")
    assert MLPEncoder((5,), cfg).net[0].in_features == 5
    assert isinstance(build_encoder(MLPEncoderConfig(), (3, 5), "utterance"), MLPEncoder)


def test_frame_encoders_take_ssl_frame_sequences_of_any_width():
    from serda.nets import get_encoder
    x = torch.randn(2, 200, 48)                      # (N, T, D): ssl pooling=none, D = 48
    for name in ("conv_pool", "conv_attention", "cnn_blstm"):
        enc = build_encoder(get_encoder(name).Settings(), (200, 48), "fixed").eval()
        out = enc(x)
        assert out.shape == (2, enc.out_dim) and torch.isfinite(out).all(), name
