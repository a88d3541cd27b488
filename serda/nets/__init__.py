"""Networks: encoders by name (``model.encoder.type``), MLP heads.

An encoder is a file of its own in ``serda/nets/`` whose class, decorated
with ``@register_encoder("<name>")``, declares

- ``Settings``: a dataclass of its options (``type`` first), the
  ``model.encoder`` section of a config when ``type: <name>``;
- ``input_rank``: its input contract, 1 for utterance-level vectors
  (N, D), 2 for frame sequences (N, T, F) (``input.layout`` fixed or
  segments); ``takes_layer_stacks`` True when it also takes utterance-level
  per-layer features (N, L, D) (``ssl`` features pooled per layer, with
  ``input.layout: utterance``);
- ``__init__(input_shape, settings)`` (``input_shape``: (D,) or (T, F)),
  ``out_dim``, ``forward(x) -> (N, out_dim)``, ``hidden_outputs(x)`` (one
  (N, width) per layer, for the t-SNE figures) and
  ``constrained_weights()`` ({parameter name: max norm}).

Heads are :class:`serda.nets.mlp.MLP` blocks on the encoder output.
"""
from serda.registry import Registry

_ENCODERS = Registry("serda.nets", "encoder")


def register_encoder(name):
    """Class decorator: the encoder ``name`` (``model.encoder.type``)."""
    def deco(cls):
        cls.type_name = name
        return _ENCODERS.register(name)(cls)
    return deco


def encoder_names():
    return _ENCODERS.names()


def get_encoder(name):
    """The encoder class registered as ``name``."""
    return _ENCODERS.get(name)


def build_encoder(settings, input_shape, layout="utterance"):
    """The encoder ``settings.type`` for inputs of ``input_shape`` (per row);
    ``layout``: ``input.layout``: 2-D rows of the utterance layout are
    per-layer features (L, D) for an encoder that takes them (mlp)."""
    cls = get_encoder(settings.type)
    rank = len(input_shape)
    if layout == "utterance" and rank == 2 and getattr(cls, "takes_layer_stacks", False):
        return cls(tuple(input_shape), settings)
    if rank != cls.input_rank:
        kind = {1: "utterance-level vectors (input.layout: utterance)",
                2: "frame sequences (input.layout: fixed or segments)"}
        raise ValueError(f"model.encoder.type '{settings.type}' takes {kind[cls.input_rank]}; "
                         f"the rows here are {kind.get(rank, f'{rank}-D')} of shape "
                         f"{tuple(input_shape)}")
    return cls(tuple(input_shape), settings)
