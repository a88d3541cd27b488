"""Stage 1: turn a corpus on disk into Kaldi data directories, one per split.

python -m serda.bin.prepare_data --corpus <module> --root <corpus dir> --out <data dir>
                                 [--name <data-dir prefix>] [--opt name=value ...]

Corpus modules and their options (``--opt``): ``--list``.
"""
import argparse
import sys

from serda.cli import run_cli
from serda.corpora import available, get_corpus
from serda.corpora.prepare import prepare_corpus


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--list", action="store_true", help="list corpora and their options")
    p.add_argument("--corpus", choices=available())
    p.add_argument("--root", help="the corpus as distributed")
    p.add_argument("--out", help="where <name>_<split>/ are written")
    p.add_argument("--name", help="data-dir prefix (default: the corpus' own name)")
    p.add_argument("--opt", action="append", default=[], metavar="NAME=VALUE",
                   help="a corpus option (repeatable; see --list)")
    args = p.parse_args(argv)
    if args.list:
        for name in available():
            module = get_corpus(name)
            print(f"{name}: {module.DESCRIPTION}")
            for opt, (default, text) in getattr(module, "OPTIONS", {}).items():
                print(f"    --opt {opt}=...  {text} (default: {default})")
        return 0
    for needed in ("corpus", "root", "out"):
        if getattr(args, needed) is None:
            p.error(f"--{needed} is required")
    options = {}
    for item in args.opt:
        name, eq, value = item.partition("=")
        if not eq:
            p.error(f"--opt {item}: expected NAME=VALUE")
        options[name] = value
    module = get_corpus(args.corpus)
    if args.name and getattr(module, "TAKES_NAME", False):
        options.setdefault("corpus", args.name)   # the table importer: ids and attributes
    corpus = module.load(args.root, **options)
    if args.name:
        corpus.name = args.name
    prepare_corpus(corpus, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
