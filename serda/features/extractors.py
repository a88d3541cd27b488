"""Feature extractors by name: the openSMILE sets, the frame features and
``ssl`` (self-supervised models, serda.features.ssl).

A feature name or option that does not exist, or an option value of the
wrong type, is a SerdaError naming it (one line from every stage)."""
import inspect

from serda.errors import SerdaError
from serda.features.filterbank import Fbank, Spectrogram
from serda.features.functionals import FEATURE_SETS, Functionals

FRAME_FEATURES = {"fbank": Fbank, "spectrogram": Spectrogram}


def feature_names():
    return sorted(FEATURE_SETS) + sorted(FRAME_FEATURES) + ["ssl"]


def parse_feat_opts(items):
    """``["num_bins=40", "frame_shift_ms=10"]`` -> {"num_bins": 40, ...}."""
    opts = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep:
            raise SerdaError(f"feature option '{item}' is not key=value")
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
            raise SerdaError(f"openSMILE set '{name}' takes no options, got {opts}")
        return Functionals(name)
    if name == "ssl":
        return make_ssl(**opts)
    if name in FRAME_FEATURES:
        kind = FRAME_FEATURES[name]
        known = [p for p in inspect.signature(kind.__init__).parameters if p != "self"]
        unknown = sorted(set(opts) - set(known))
        if unknown:
            raise SerdaError(f"feature '{name}' has no option(s) {unknown} (known: "
                             f"{', '.join(known)})")
        defaults = {p: v.default for p, v in inspect.signature(kind.__init__).parameters.items()}
        for key, value in opts.items():
            want = type(defaults[key])
            if defaults[key] is not None and not isinstance(value, (want, int) if want is float
                                                              else want):
                raise SerdaError(f"feature '{name}' option {key}={value!r}: expected "
                                 f"{want.__name__} (default {defaults[key]!r})")
        return kind(**opts)
    raise SerdaError(f"unknown feature '{name}' (known: {', '.join(feature_names())})")


def make_ssl(**opts):
    """The ``ssl`` extractor (serda.features.ssl), its options checked first."""
    from serda.features.ssl import SSLFeatures  # loads torch and transformers
    known = [p for p in inspect.signature(SSLFeatures.__init__).parameters if p != "self"]
    unknown = sorted(set(opts) - set(known))
    if unknown:
        raise SerdaError(f"feature 'ssl' has no option(s) {unknown} (known: {', '.join(known)})")
    if not opts.get("model"):
        raise SerdaError("feature 'ssl' needs model=<checkpoint dir or model id> "
                         "(--feat-opts \"model=...\")")
    return SSLFeatures(**opts)
