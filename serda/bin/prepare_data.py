"""Stage 1: turn a corpus on disk into Kaldi data directories, one per split.

python -m serda.bin.prepare_data --corpus <module> --root <corpus dir> --out <data dir>
                                 [--name <data-dir prefix>]
"""
import argparse
import sys

from serda.cli import run_cli
from serda.corpora import available, get_corpus
from serda.corpora.prepare import prepare_corpus


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", required=True, choices=available())
    p.add_argument("--root", required=True, help="the corpus as distributed")
    p.add_argument("--out", required=True, help="where <name>_<split>/ are written")
    p.add_argument("--name", help="data-dir prefix (default: the corpus' own name)")
    args = p.parse_args(argv)
    corpus = get_corpus(args.corpus).load(args.root)
    if args.name:
        corpus.name = args.name
    prepare_corpus(corpus, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
