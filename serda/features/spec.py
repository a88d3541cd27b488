"""Which features a feature dir holds: ``features.yaml`` ({name, options}),
written by stage 2 next to feats.scp and carried to the recipe's derived
sets, so that inference (serda.bin.infer) extracts the same features from
new audio. ``ssl`` features add ``provenance``: the model family, its
checkpoint, the SHA-256 of its weights, the layers and the library
versions; features are never extracted again from weights whose hash
differs (:func:`extractor_of` refuses them).

    python -m serda.features.spec write <feature dir> <name> [key=value ...]
"""
import sys
from pathlib import Path

import yaml

from serda.errors import InputError
from serda.textfile import read_utf8
from serda.yamlfile import load_yaml

SPEC = "features.yaml"


def write_spec(feat_dir, name, options, provenance=None):
    """Write ``<feat_dir>/features.yaml``; ``options``: {key: value}."""
    spec = {"name": name, "options": dict(options)}
    if provenance:
        spec["provenance"] = dict(provenance)
    text = yaml.safe_dump(spec, sort_keys=True)
    tmp = Path(feat_dir) / (SPEC + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(Path(feat_dir) / SPEC)


def load_spec(feat_dir):
    """The mapping of ``<feat_dir>/features.yaml``; InputError naming the
    file when it is missing, not YAML or not a spec."""
    path = Path(feat_dir) / SPEC
    if not path.is_file():
        raise InputError(path, "missing: the feature dir was made before serda recorded its "
                               "feature spec; run stage 2 again for it")
    try:
        spec = load_yaml(read_utf8(path)) or {}
    except yaml.YAMLError as err:
        raise InputError(path, f"not valid YAML: {err}") from None
    if not isinstance(spec, dict) or "name" not in spec:
        raise InputError(path, "not a feature spec (a mapping with name and options)")
    return spec


def read_spec(feat_dir):
    """(name, options) of the features of ``feat_dir``."""
    spec = load_spec(feat_dir)
    return spec["name"], dict(spec.get("options") or {})


def read_provenance(feat_dir):
    """The ``provenance`` mapping of ``feat_dir``'s spec ({} when none)."""
    return dict(load_spec(feat_dir).get("provenance") or {})


def extractor_of(feat_dir, model=None):
    """The extractor that made the features of ``feat_dir`` (an ``ssl``
    model read from ``model`` when given, e.g. the checkpoint's place on
    another machine); InputError when its weights are not the recorded ones."""
    from serda.features.extractors import make_extractor
    name, options = read_spec(feat_dir)
    if model is not None and name == "ssl":
        options["model"] = str(model)
    extractor = make_extractor(name, **options)
    if name == "ssl":
        check_weights(feat_dir, extractor.ckpt)
    return extractor


def check_weights(feat_dir, ckpt):
    """InputError when the weights in checkpoint dir ``ckpt`` are not those
    ``feat_dir``'s ssl features were made with (their recorded SHA-256)."""
    from serda.features.ssl_model import weights_sha256
    want = read_provenance(feat_dir).get("weights_sha256")
    have = weights_sha256(ckpt)
    if want and have != want:
        raise InputError(Path(feat_dir) / SPEC,
                         f"the features were made by weights with SHA-256 {want[:16]}..., "
                         f"but {ckpt} holds {have[:16]}...: give the checkpoint the system "
                         "was trained with")


def main(argv=None):
    """``write <feat-dir> <name> [k=v ...]``, or ``check <name> [k=v ...]``
    (exit 1 with one line when the name or an option is not valid)."""
    from serda.features.extractors import make_extractor, parse_feat_opts
    args = sys.argv[1:] if argv is None else argv
    if len(args) >= 2 and args[0] == "check":
        make_extractor(args[1], **parse_feat_opts(args[2:]))
        return 0
    if len(args) < 3 or args[0] != "write":
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    options = parse_feat_opts(args[3:])
    provenance = make_extractor(args[2], **options).provenance() if args[2] == "ssl" else None
    write_spec(args[1], args[2], options, provenance)
    return 0


if __name__ == "__main__":
    from serda.cli import run_cli
    sys.exit(run_cli(main))
