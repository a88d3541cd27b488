"""Atomic checkpoint files: written to a temporary name, then renamed."""
import os
from pathlib import Path

import torch


def save_checkpoint(state, path):
    path = Path(path)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    torch.save(state, tmp)
    os.replace(tmp, path)


def load_checkpoint(path):
    return torch.load(path, map_location="cpu", weights_only=False)
