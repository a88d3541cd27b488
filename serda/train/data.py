"""In-memory data of one training run.

A set is held as tensors: ``x`` (N, ...) all inputs in one contiguous
float32 tensor (batches are index slices), ``y`` (N,) targets or None,
and ``group`` (N,) the utterance each row belongs to. Utterance-level
features have one row per utterance (group = arange); segment-level inputs
(several rows per utterance) reuse the same contract, and predictions are
averaged per group to give one decision per utterance.
"""
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from serda.data.datadir import DataDir
from serda.data.features import load_utterance_matrix
from serda.data.labels import apply_label_map
from serda.errors import InputError


@dataclass
class SetTensors:
    name: str
    utts: list
    x: torch.Tensor
    y: torch.Tensor
    group: torch.Tensor

    @property
    def n_utts(self):
        return len(self.utts)


def read_labels(data_dir, utts, task):
    """Targets of ``utts`` (numpy) after ``task.label_map``."""
    data = DataDir.load(data_dir)
    name = f"utt2{task.attribute}"
    table = data.get(name)
    raw = [table[u] for u in utts]
    scale = ((data.attributes.get("attributes") or {}).get(task.attribute) or {}).get("scale")
    if not task.attribute.startswith("emo"):  # utt2emo, utt2emo_native...: codes
        try:
            raw = np.array([float(v) for v in raw])
        except ValueError as err:
            raise InputError(Path(data_dir) / name, f"non-numeric label: {err}") from None
    y = apply_label_map(task.label_map, raw, scale, task.label_args)
    if task.type == "regression":
        return y.astype(np.float32)
    return y.astype(np.int64)


def load_set(data_dir, norm, task=None, device="cpu"):
    """A :class:`SetTensors` of ``data_dir``; labels when ``task`` is given."""
    utts, x = load_utterance_matrix(data_dir, norm)
    y = None
    if task is not None:
        y = torch.from_numpy(read_labels(data_dir, utts, task)).to(device)
    return SetTensors(name=Path(data_dir).name, utts=utts, x=torch.from_numpy(x).to(device),
                      y=y, group=torch.arange(len(utts), device=device))
