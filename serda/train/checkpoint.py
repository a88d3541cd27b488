"""Checkpoint files: written whole through a temporary name, then renamed
(serda.atomic: a full disk is a one-line error naming the file)."""
import torch

from serda.atomic import write_atomic


def save_checkpoint(state, path):
    write_atomic(path, lambda f: torch.save(state, f))


def load_checkpoint(path):
    return torch.load(path, map_location="cpu", weights_only=False)
