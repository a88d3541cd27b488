"""A self-supervised speech model from a local Hugging Face checkpoint.

``model=`` is a checkpoint directory (``config.json`` and its weights:
``model.safetensors``, ``pytorch_model.bin`` or their shards) or a model id
found in the local Hugging Face cache (``HF_HUB_CACHE``). serda never
downloads: a model that is not on disk is one line saying where serda
looked and how to get it on a machine with network.

Families (``config.json`` ``model_type``): ``wavlm``, ``hubert``,
``wav2vec2`` (XLS-R included), ``data2vec-audio`` — raw waveform in,
hidden states at 50 Hz — and ``whisper`` (its encoder: log-mel in).

:func:`weights_sha256` identifies the weights: ``features.yaml`` records it
and inference refuses features from a model whose weights differ.
"""
import hashlib
import json
from pathlib import Path

from serda.errors import InputError, SerdaError

WAVEFORM_FAMILIES = ("wavlm", "hubert", "wav2vec2", "data2vec-audio")
FAMILIES = WAVEFORM_FAMILIES + ("whisper",)
WEIGHT_PATTERNS = ("model*.safetensors", "pytorch_model*.bin", "*.safetensors.index.json",
                   "pytorch_model.bin.index.json")


def how_to_get(model):
    return (f"on a machine with network: `hf download {model} --local-dir <dir>` (huggingface_hub), "
            "copy <dir> here and pass model=<dir>")


def checkpoint_dir(model):
    """The directory of ``model`` (a path, or an id in the local HF cache)."""
    path = Path(str(model)).expanduser()
    if path.is_dir():
        return path
    looks_like_path = str(model).startswith((".", "/", "~")) or str(model).count("/") > 1
    if looks_like_path or not str(model):
        raise SerdaError(f"ssl: no checkpoint directory '{model}' (a directory with config.json "
                         f"and the weights); {how_to_get('<model id>')}")
    from huggingface_hub import constants, snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError
    try:
        return Path(snapshot_download(str(model), local_files_only=True))
    except (LocalEntryNotFoundError, OSError, ValueError):
        raise SerdaError(f"ssl: model '{model}' is neither a directory nor in the local Hugging "
                         f"Face cache ({constants.HF_HUB_CACHE}); serda does not download: "
                         f"{how_to_get(model)}") from None


def weight_files(ckpt):
    """The weight files of checkpoint dir ``ckpt``, sorted; InputError if none."""
    files = sorted({p for pattern in WEIGHT_PATTERNS for p in Path(ckpt).glob(pattern)
                    if not p.name.endswith(".index.json")})
    if not files:
        raise InputError(ckpt, "no model weights (model.safetensors or pytorch_model.bin) in the "
                               "checkpoint directory")
    return files


def weights_sha256(ckpt):
    """SHA-256 over the bytes of every weight file of ``ckpt`` (in name order)."""
    digest = hashlib.sha256()
    for path in weight_files(ckpt):
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 22), b""):
                digest.update(block)
    return digest.hexdigest()


def read_json(path, required):
    path = Path(path)
    if not path.is_file():
        if required:
            raise InputError(path, "missing: a Hugging Face checkpoint has config.json")
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise InputError(path, f"not valid JSON: {err}") from None


def family_of(ckpt):
    """``model_type`` of ``ckpt``'s config.json, one of FAMILIES."""
    config = read_json(Path(ckpt) / "config.json", required=True)
    family = config.get("model_type")
    if family not in FAMILIES:
        raise InputError(Path(ckpt) / "config.json",
                         f"model_type '{family}' is not a supported SSL family "
                         f"({', '.join(FAMILIES)})")
    return family


def load_encoder(ckpt, family):
    """The model (the encoder only, for Whisper) in eval mode, on CPU, float32."""
    import transformers
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    try:
        model = transformers.AutoModel.from_pretrained(str(ckpt), local_files_only=True)
    except (OSError, ValueError, RuntimeError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise InputError(ckpt, f"cannot load the checkpoint: {first}") from None
    if family == "whisper":
        model = model.get_encoder()
    return model.eval()
