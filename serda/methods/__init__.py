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
import importlib
import pkgutil

_REGISTRY = {}
_NOT_METHODS = {"base"}


def register(name):
    def deco(cls):
        module = cls.__module__.rsplit(".", 1)[-1]
        if module != name:
            raise ValueError(f"method '{name}' must live in serda/methods/{name}.py, not {module}.py")
        if name in _REGISTRY and _REGISTRY[name] is not cls:
            raise ValueError(f"method '{name}' registered twice")
        cls.name = name
        _REGISTRY[name] = cls
        return cls
    return deco


def _discover():
    import serda.methods as pkg
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name not in _NOT_METHODS:
            importlib.import_module(f"serda.methods.{info.name}")


def method_names():
    """Names of the methods, from the file names alone (cheap: nothing is
    imported; a config check before any job uses it)."""
    import serda.methods as pkg
    return sorted(info.name for info in pkgutil.iter_modules(pkg.__path__)
                  if info.name not in _NOT_METHODS and not info.name.startswith("_"))


def available():
    _discover()
    return sorted(_REGISTRY)


def get_method(name):
    _discover()
    if name not in _REGISTRY:
        raise ValueError(f"unknown method '{name}' (known: {', '.join(sorted(_REGISTRY))})")
    return _REGISTRY[name]


def build_method(cfg, input_shape, n_classes, domain_sizes=None):
    """The method of ``cfg`` for rows of ``input_shape``; regression has one
    output, classification ``n_classes``; ``domain_sizes``: {attribute:
    number of codes} of the method's domain attributes."""
    out_dim = 1 if cfg.task.type == "regression" else n_classes
    return get_method(cfg.method)(cfg, tuple(input_shape), out_dim, domain_sizes)
