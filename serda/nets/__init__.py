"""Networks: encoders by name (``model.encoder.type``), MLP heads.

An encoder is a file of its own in ``serda/nets/`` whose class, decorated
with ``@register_encoder("<name>")``, declares

- ``Settings``: a dataclass of its options (``type`` first), the
  ``model.encoder`` section of a config when ``type: <name>``;
- ``input_rank``: its input contract, 1 for utterance-level vectors
  (N, D), 2 for frame sequences (N, T, F) (``input.layout`` fixed or
  segments);
- ``__init__(input_shape, settings)`` (``input_shape``: (D,) or (T, F)),
  ``out_dim``, ``forward(x) -> (N, out_dim)``, ``hidden_outputs(x)`` (one
  (N, width) per layer, for the t-SNE figures) and
  ``constrained_weights()`` ({parameter name: max norm}).

Heads are :class:`serda.nets.mlp.MLP` blocks on the encoder output.
"""
import importlib
import pkgutil

_ENCODERS = {}


def register_encoder(name):
    def deco(cls):
        if name in _ENCODERS and _ENCODERS[name] is not cls:
            raise ValueError(f"encoder '{name}' registered twice")
        cls.type_name = name
        _ENCODERS[name] = cls
        return cls
    return deco


def _discover():
    import serda.nets as pkg
    for info in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"serda.nets.{info.name}")


def encoder_names():
    _discover()
    return sorted(_ENCODERS)


def get_encoder(name):
    """The encoder class registered as ``name``."""
    _discover()
    if name not in _ENCODERS:
        raise ValueError(f"unknown encoder '{name}' (known: {', '.join(sorted(_ENCODERS))})")
    return _ENCODERS[name]


def build_encoder(settings, input_shape):
    """The encoder ``settings.type`` for inputs of ``input_shape`` (per row)."""
    cls = get_encoder(settings.type)
    rank = len(input_shape)
    if rank != cls.input_rank:
        kind = {1: "utterance-level vectors (input.layout: utterance)",
                2: "frame sequences (input.layout: fixed or segments)"}
        raise ValueError(f"model.encoder.type '{settings.type}' takes {kind[cls.input_rank]}; "
                         f"the rows here are {kind.get(rank, f'{rank}-D')} of shape "
                         f"{tuple(input_shape)}")
    return cls(tuple(input_shape), settings)
