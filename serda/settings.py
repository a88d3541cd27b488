"""Typed settings sections: dataclasses with defaults in code, checked overrides.

A section is a dataclass. Its fields are declared with :func:`setting`
(a scalar with an optional check) or :func:`section` (a nested section),
so every value a YAML file or a command line gives is checked where it is
given, and an error names the file (or "command line") and the dotted key::

    @dataclass
    class OptimConfig:
        name: str = setting("adam", choices=("adam", "adadelta", "sgd"))
        lr: float = setting(5.0e-4, above=0.0)

A nested section may be *typed*: its ``type`` key picks the dataclass from
a registry (``section(factory, types=lookup)``, ``lookup(name)`` returning
the class), as ``model.encoder.type`` picks an encoder from serda/nets/.
A ``*`` key applies its keys to every nested section that has them:
``model.*.hidden=256`` sets the width of the encoder and of every head.
"""
import dataclasses
from dataclasses import field

from serda.errors import SerdaError


class ConfigError(SerdaError):
    """A configuration file or override is invalid."""


def setting(default, choices=None, at_least=None, above=None, below=None, help=""):
    """A scalar field with a check: ``choices`` (a tuple, or a callable
    returning one, evaluated when a value is given), ``at_least`` (>=),
    ``above`` (>), ``below`` (<); ``help``: what it means, for the
    configuration reference (serda.bin.config_doc). A dict default is
    copied per instance."""
    check = {k: v for k, v in (("choices", choices), ("at_least", at_least), ("above", above),
                               ("below", below)) if v is not None}
    if isinstance(default, dict):
        return field(default_factory=lambda: dict(default),
                     metadata={"check": check, "help": help})
    return field(default=default, metadata={"check": check, "help": help})


def list_setting(default, choices=None, at_least=None, unique=True, help=""):
    """A list field whose items each pass ``choices`` / ``at_least``
    (and are distinct when ``unique``); ``default`` is copied per instance."""
    check = {k: v for k, v in (("choices", choices), ("at_least", at_least)) if v is not None}
    return field(default_factory=lambda: list(default),
                 metadata={"check": {"items": check, "unique": unique}, "help": help})


def section(factory, types=None):
    """A nested section made by ``factory``; ``types``: name -> dataclass for
    a section whose ``type`` key chooses its class."""
    return field(default_factory=factory, metadata={"types": types} if types else {})


def _choices(check):
    choices = check.get("choices")
    return tuple(choices()) if callable(choices) else choices


def check_value(value, check, where, name):
    """Raise ConfigError when ``value`` fails the field's ``check``."""
    if "items" in check:
        for item in value:
            check_value(item, check["items"], where, f"{name}' item '{item}")
        if check.get("unique") and len(set(map(str, value))) != len(value):
            raise ConfigError(f"{where}: '{name}' lists an item twice: {value}")
        return
    choices = _choices(check)
    if choices is not None and value not in choices:
        raise ConfigError(f"{where}: '{name}' must be one of {', '.join(map(str, choices))}; "
                          f"not '{value}'")
    if "at_least" in check and value < check["at_least"]:
        raise ConfigError(f"{where}: '{name}' must be >= {check['at_least']}, not {value}")
    if "above" in check and not value > check["above"]:
        raise ConfigError(f"{where}: '{name}' must be > {check['above']}, not {value}")
    if "below" in check and not value < check["below"]:
        raise ConfigError(f"{where}: '{name}' must be < {check['below']}, not {value}")


def coerce(current, value, where, name):
    """``value`` converted to the type of ``current`` (the field's value so
    far), or ConfigError naming ``where`` and ``name``."""
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: '{name}' takes true or false, not {value!r}")
        return value
    if isinstance(current, (int, float)) and isinstance(value, str):
        try:  # YAML 1.1 reads 5e-4 (no dot) as a string
            value = float(value)
        except ValueError:
            pass
    if isinstance(current, (int, float)) and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        if isinstance(current, float):
            return float(value)
        if float(value).is_integer():
            return int(value)
        raise ConfigError(f"{where}: '{name}' takes a whole number, not {value!r}")
    if isinstance(current, (int, float)):
        raise ConfigError(f"{where}: '{name}' takes a number, not {value!r}")
    if isinstance(current, str) and isinstance(value, str):
        return value
    if isinstance(current, list) and isinstance(value, list):
        return list(value)
    if isinstance(current, dict) and isinstance(value, dict):
        return dict(value)
    raise ConfigError(f"{where}: '{name}' has the wrong type ({type(value).__name__}; "
                      f"expected {type(current).__name__})")


def _retyped(obj, spec, overrides, where, name):
    """The section to merge ``overrides`` into: a fresh default of the
    class named by ``overrides['type']`` when it differs from ``obj``'s."""
    types = spec.metadata.get("types") if spec is not None else None
    if types is None or "type" not in overrides or overrides["type"] == obj.type:
        return obj
    try:
        return types(overrides["type"])()
    except (KeyError, ValueError) as err:
        raise ConfigError(f"{where}: '{name}.type': {err.args[0]}") from None


def merge(obj, overrides, where, prefix="", known=None):
    """A copy of dataclass ``obj`` with ``overrides`` (a nested dict) applied
    and checked; ``where`` names the source in errors. ``known``: who
    declares the keys, for unknown-key errors (default "known")."""
    if not isinstance(overrides, dict):
        raise ConfigError(f"{where}: '{prefix.rstrip('.') or 'config'}' must be a mapping, "
                          f"not {overrides!r}")
    fields = {f.name: f for f in dataclasses.fields(obj)}
    if "*" in overrides:  # after the type changes of this mapping, before its own values
        retyped = {k: _retyped(getattr(obj, k), fields[k], v, where, f"{prefix}{k}")
                   for k, v in overrides.items()
                   if k in fields and isinstance(v, dict) and "type" in v
                   and dataclasses.is_dataclass(getattr(obj, k))}
        obj = _merge_wildcard(dataclasses.replace(obj, **retyped), overrides["*"], where, prefix)
    changes = {}
    for key, value in overrides.items():
        if key == "*":
            continue
        name = f"{prefix}{key}"
        if key not in fields:
            raise ConfigError(f"{where}: unknown key '{name}' ({known or 'known'}: "
                              f"{', '.join(fields) or 'none'})")
        current = changes.get(key, getattr(obj, key))
        if dataclasses.is_dataclass(current):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: '{name}' must be a mapping, not {value!r}")
            base = _retyped(current, fields[key], value, where, name)
            changes[key] = merge(base, value, where, name + ".")
        else:
            new = coerce(current, value, where, name)
            check_value(new, fields[key].metadata.get("check", {}), where, name)
            changes[key] = new
    return dataclasses.replace(obj, **changes)


def _merge_wildcard(obj, values, where, prefix):
    """``prefix.*.key=value``: set ``key`` in every nested section that has it."""
    if not isinstance(values, dict):
        raise ConfigError(f"{where}: '{prefix}*' must be a mapping of keys to set in every part")
    parts = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)
             if dataclasses.is_dataclass(getattr(obj, f.name))}
    changes = {}
    for key, value in values.items():
        owners = [p for p, sub in parts.items()
                  if key in {f.name for f in dataclasses.fields(sub)}]
        if not owners:
            raise ConfigError(f"{where}: unknown key '{prefix}*.{key}': no part of "
                              f"'{prefix.rstrip('.')}' ({', '.join(parts)}) has it")
        for p in owners:
            changes[p] = merge(changes.get(p, parts[p]), {key: value}, where, f"{prefix}{p}.")
    return dataclasses.replace(obj, **changes)


def check_section(obj, where, prefix=""):
    """Check every value of ``obj`` (nested) against its field's check (for
    defaults written in code and values set without :func:`merge`)."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        name = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(value):
            check_section(value, where, name + ".")
        else:
            check_value(value, f.metadata.get("check", {}), where, name)


def as_dict(obj):
    """Nested dict of a settings dataclass; a typed section lists ``type`` first."""
    out = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        out[f.name] = as_dict(value) if dataclasses.is_dataclass(value) else \
            (list(value) if isinstance(value, list) else
             dict(value) if isinstance(value, dict) else value)
    if "type" in out:
        out = {"type": out.pop("type"), **out}
    return out
