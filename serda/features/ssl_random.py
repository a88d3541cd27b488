"""A randomly initialised SSL checkpoint of a known architecture, saved to a directory.

    python -m serda.features.ssl_random --family wavlm --size base <out-dir>

For tests and benchmarks, never for results: ``tiny`` is a 2-layer,
32-wide model of the family (seconds to build), ``base`` and ``large`` the
published Base / Large architectures (12 x 768 / 24 x 1,024; Whisper
``base`` / ``medium`` encoders), whose arithmetic is that of the trained
models. The directory is a Hugging Face checkpoint (config.json,
model.safetensors, preprocessor_config.json) like a downloaded one.
"""
import argparse
import sys
from pathlib import Path

from serda.features.ssl_model import FAMILIES

TINY_WAVEFORM = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, conv_dim=(32,) * 7, num_conv_pos_embeddings=16,
                     num_conv_pos_embedding_groups=2)
LARGE_WAVEFORM = dict(hidden_size=1024, num_hidden_layers=24, num_attention_heads=16,
                      intermediate_size=4096, feat_extract_norm="layer", do_stable_layer_norm=True)
WHISPER = {"tiny": dict(d_model=32, encoder_layers=2, decoder_layers=1, encoder_attention_heads=2,
                        decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64),
           "base": dict(d_model=512, encoder_layers=6, decoder_layers=1, encoder_attention_heads=8,
                        decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048),
           "large": dict(d_model=1024, encoder_layers=24, decoder_layers=1,
                         encoder_attention_heads=16, decoder_attention_heads=16,
                         encoder_ffn_dim=4096, decoder_ffn_dim=4096)}
CLASSES = {"wavlm": ("WavLMConfig", "WavLMModel"), "hubert": ("HubertConfig", "HubertModel"),
           "wav2vec2": ("Wav2Vec2Config", "Wav2Vec2Model"),
           "data2vec-audio": ("Data2VecAudioConfig", "Data2VecAudioModel"),
           "whisper": ("WhisperConfig", "WhisperModel")}
SIZES = ("tiny", "base", "large")


def save_random_checkpoint(family, size, out, seed=0, **overrides):
    """Build ``family`` at ``size`` with random weights (``seed``) and save it to ``out``."""
    import torch
    import transformers
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    config_cls, model_cls = (getattr(transformers, n) for n in CLASSES[family])
    if family == "whisper":
        settings = dict(WHISPER[size])
    else:
        settings = {"tiny": TINY_WAVEFORM, "base": {}, "large": LARGE_WAVEFORM}[size]
    config = config_cls(**{**settings, **overrides})
    torch.manual_seed(seed)
    model = model_cls(config).eval()
    out = Path(out)
    model.save_pretrained(str(out))
    if family == "whisper":
        transformers.WhisperFeatureExtractor(feature_size=config.num_mel_bins).save_pretrained(
            str(out))
    else:
        transformers.Wav2Vec2FeatureExtractor(
            feature_size=1, sampling_rate=16000, padding_value=0.0, do_normalize=True,
            return_attention_mask=True).save_pretrained(str(out))
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--family", required=True, choices=FAMILIES)
    p.add_argument("--size", default="tiny", choices=SIZES)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("out_dir")
    args = p.parse_args(argv)
    save_random_checkpoint(args.family, args.size, args.out_dir, args.seed)
    print(f"ssl_random: a {args.size} {args.family} with random weights in {args.out_dir}")
    return 0


if __name__ == "__main__":
    from serda.cli import run_cli
    sys.exit(run_cli(main))
