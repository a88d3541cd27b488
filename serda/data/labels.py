"""Label transforms, selected by name in the training config (task.label_map).

Each takes the raw values of one data dir (numpy array, the corpus' own
scale, or category codes), the scale declared in its attributes.yaml and
keyword arguments from ``task.label_args``, and returns the training
targets.
"""
from pathlib import Path

import numpy as np
import yaml

from serda.errors import SerdaError

BINARY_MAPS = Path(__file__).with_name("binary_maps.yaml")


def identity(values, scale=None):
    """Raw values unchanged (float)."""
    return np.asarray(values, dtype=np.float64)


def scale_to_pm3(values, scale):
    """Map [lo, hi] linearly onto [-3, 3] (Abdelwahab & Busso 2018):
    y = -3 + 6 (x - lo) / (hi - lo); 1-5 and 1-7 scales alike."""
    lo, hi = float(scale[0]), float(scale[1])
    return -3.0 + 6.0 * (np.asarray(values, dtype=np.float64) - lo) / (hi - lo)


def binarize(values, scale=None, threshold=2.5, high_side="gt"):
    """0/1 classes: 1 where x > threshold (``high_side="gt"``, i.e. low is
    x <= threshold) or x >= threshold (``"ge"``, low is x < threshold);
    Cai et al. use (2.5, 5] -> high on 1-5."""
    x = np.asarray(values, dtype=np.float64)
    if high_side not in ("gt", "ge"):
        raise SerdaError(f"binarize: high_side must be 'gt' or 'ge', not '{high_side}'")
    return (x > threshold if high_side == "gt" else x >= threshold).astype(np.int64)


def binary_table(corpus, dimension):
    """(high codes, low codes) of ``corpus`` for ``dimension`` from
    binary_maps.yaml."""
    tables = yaml.safe_load(BINARY_MAPS.read_text(encoding="utf-8"))
    if corpus not in tables or dimension not in tables[corpus]:
        known = ", ".join(f"{c}.{d}" for c in tables for d in tables[c])
        raise SerdaError(f"{BINARY_MAPS}: no {dimension} map for corpus '{corpus}' "
                         f"(known: {known}); give label_args high/low")
    entry = tables[corpus][dimension]
    return [str(c) for c in entry["high"]], [str(c) for c in entry["low"]]


def category_to_binary(values, scale=None, corpus=None, dimension=None, high=None, low=None):
    """0/1 classes from category codes: 1 for codes in ``high``, 0 for
    ``low``. The lists come from binary_maps.yaml (``corpus``,
    ``dimension``) unless given; a code in neither is an error naming it."""
    if high is None or low is None:
        if corpus is None or dimension is None:
            raise SerdaError("category_to_binary needs corpus and dimension, or high and low")
        table_high, table_low = binary_table(corpus, dimension)
        high = table_high if high is None else high
        low = table_low if low is None else low
    high, low = {str(c) for c in high}, {str(c) for c in low}
    if high & low:
        raise SerdaError(f"category_to_binary: {sorted(high & low)} are both high and low")
    codes = [str(v) for v in values]
    unknown = sorted(set(codes) - high - low)
    if unknown:
        raise SerdaError(f"category_to_binary: code(s) {unknown} are in neither the high "
                         f"{sorted(high)} nor the low {sorted(low)} list; subset the data "
                         "or extend the lists in task.label_args")
    return np.array([c in high for c in codes], dtype=np.int64)


# EmoBox's cross-corpus 4-class task over the normalised categories (utt2emo):
# neutral, happiness (excitement merged into it, as IEMOCAP's usual 4 classes), anger, sadness
FOUR_CLASSES = (("neu",), ("hap", "exc"), ("ang",), ("sad",))


def category_to_class(values, scale=None, classes=FOUR_CLASSES):
    """Class indices from category codes: class i holds the codes of
    ``classes[i]`` (a code or a list of codes); a code in no class is an
    error naming it (subset the data first)."""
    index = {}
    for i, members in enumerate(classes):
        for code in ([members] if isinstance(members, str) else members):
            if str(code) in index:
                raise SerdaError(f"category_to_class: '{code}' is in two classes")
            index[str(code)] = i
    codes = [str(v) for v in values]
    unknown = sorted(set(codes) - set(index))
    if unknown:
        raise SerdaError(f"category_to_class: code(s) {unknown} are in no class of "
                         f"{[list(c) if not isinstance(c, str) else [c] for c in classes]}; "
                         "subset the data or extend task.label_args.classes")
    return np.array([index[c] for c in codes], dtype=np.int64)


LABEL_MAPS = {"identity": identity, "scale_to_pm3": scale_to_pm3, "binarize": binarize,
              "category_to_binary": category_to_binary, "category_to_class": category_to_class}


def apply_label_map(name, values, scale, args=None):
    if name not in LABEL_MAPS:
        raise SerdaError(f"unknown label map '{name}' (known: {', '.join(LABEL_MAPS)})")
    return LABEL_MAPS[name](values, scale, **(args or {}))
