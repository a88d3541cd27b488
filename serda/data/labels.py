"""Label transforms, selected by name in the training config (task.label_map).

Each takes the raw values of one data dir (numpy array, the corpus' own
scale), the scale declared in its attributes.yaml and keyword arguments
from ``task.label_args``, and returns the training targets.
"""
import numpy as np

from serda.errors import SerdaError


def identity(values, scale=None):
    """Raw values unchanged (float)."""
    return np.asarray(values, dtype=np.float64)


def scale_to_pm3(values, scale):
    """Map [lo, hi] linearly onto [-3, 3] (Abdelwahab & Busso 2018):
    y = -3 + 6 (x - lo) / (hi - lo); 1-5 and 1-7 scales alike."""
    lo, hi = float(scale[0]), float(scale[1])
    return -3.0 + 6.0 * (np.asarray(values, dtype=np.float64) - lo) / (hi - lo)


def binarize(values, scale=None, threshold=2.5, high_side="gt"):
    """0/1 classes: 1 where x > threshold (``high_side="gt"``) or
    x >= threshold (``"ge"``); Cai et al. use (2.5, 5] -> high on 1-5."""
    x = np.asarray(values, dtype=np.float64)
    if high_side not in ("gt", "ge"):
        raise SerdaError(f"binarize: high_side must be 'gt' or 'ge', not '{high_side}'")
    return (x > threshold if high_side == "gt" else x >= threshold).astype(np.int64)


LABEL_MAPS = {"identity": identity, "scale_to_pm3": scale_to_pm3, "binarize": binarize}


def apply_label_map(name, values, scale, args=None):
    if name not in LABEL_MAPS:
        raise SerdaError(f"unknown label map '{name}' (known: {', '.join(LABEL_MAPS)})")
    return LABEL_MAPS[name](values, scale, **(args or {}))
