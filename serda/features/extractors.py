"""Feature extractors by name: the openSMILE sets and the frame features."""
from serda.features.filterbank import Fbank, Spectrogram
from serda.features.functionals import FEATURE_SETS, Functionals

FRAME_FEATURES = {"fbank": Fbank, "spectrogram": Spectrogram}


def feature_names():
    return sorted(FEATURE_SETS) + sorted(FRAME_FEATURES)


def parse_feat_opts(items):
    """``["num_bins=40", "frame_shift_ms=10"]`` -> {"num_bins": 40, ...}."""
    opts = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"feature option '{item}' is not key=value")
        for cast in (int, float):
            try:
                value = cast(value)
                break
            except ValueError:
                pass
        opts[key] = value
    return opts


def make_extractor(name, **opts):
    """An extractor with ``compute(x, sr)``, ``dim`` and ``frame_level``."""
    if name in FEATURE_SETS:
        if opts:
            raise ValueError(f"openSMILE set '{name}' takes no options, got {opts}")
        return Functionals(name)
    if name in FRAME_FEATURES:
        return FRAME_FEATURES[name](**opts)
    raise ValueError(f"unknown feature '{name}' (known: {', '.join(feature_names())})")
