"""Training methods, one file each, registered by name and found automatically.

A method (:class:`serda.methods.base.Method`) owns its parts (encoder,
heads), its settings (the ``Model`` and ``Adapt`` dataclasses: the
``model`` and ``adapt`` sections of a config) and its update steps: which
named losses update which parts, how many times per iteration. The trainer
owns optimisers, clipping, schedules, checkpoints and logging, and never
branches on a method's name. Adding a method = adding
``serda/methods/<name>.py`` that decorates its class with
``@register("<name>")`` (file name = method name, so :func:`method_names`
can list them without importing torch) plus a recipe conf; nothing else.
"""
from serda.registry import Registry

_METHODS = Registry("serda.methods", "method", skip={"base"}, same_file=True)


def register(name):
    """Class decorator: the method ``name`` (its file must be ``<name>.py``)."""
    def deco(cls):
        cls.name = name
        return _METHODS.register(name)(cls)
    return deco


def method_names():
    """Names of the methods, from the file names alone (cheap: nothing is
    imported; a config check before any job uses it)."""
    return _METHODS.module_names()


def available():
    return _METHODS.names()


def get_method(name):
    return _METHODS.get(name)


def build_method(cfg, input_shape, n_classes, domain_sizes=None):
    """The method of ``cfg`` for rows of ``input_shape``; regression has one
    output, classification ``n_classes``; ``domain_sizes``: {attribute:
    number of codes} of the method's domain attributes."""
    from serda.nets.blocks import set_dropout_masks
    out_dim = 1 if cfg.task.type == "regression" else n_classes
    method = get_method(cfg.method)(cfg, tuple(input_shape), out_dim, domain_sizes)
    set_dropout_masks(method, cfg.train.dropout_masks)
    return method
