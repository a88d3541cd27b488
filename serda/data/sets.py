"""Which corpus a data (or feature) directory belongs to, by name, exactly.

python -m serda.data.sets list --corpora "emo emo_de" --root data
    every data dir below data/ of one of the corpora: "<set> <corpus>"
python -m serda.data.sets owners --corpora "emo emo_de" --root dump/egemaps SET ...
    each SET's corpus, or "-" for a set that pools corpora (or names none)

A set's corpus is the ``corpus`` of its attributes.yaml, compared whole:
sets are never found by a name prefix, so a corpus ``emo`` does not claim
the sets of a corpus ``emo_de`` (``emo_de_fold1`` begins with ``emo_``).
A set combining corpora names them joined by ``+`` and is "-" here.
"""
import argparse
import sys
from pathlib import Path

from serda.cli import run_cli
from serda.data.datadir import read_attributes

POOLED = "-"


def owner(set_dir, corpora):
    """The one corpus of ``corpora`` that ``set_dir`` belongs to, else POOLED."""
    corpus = str(read_attributes(set_dir).get("corpus", ""))
    return corpus if corpus in corpora else POOLED


def sets_of(root, corpora):
    """[(set name, corpus)] of the dirs below ``root`` belonging to one of
    ``corpora``, sorted by name."""
    out = []
    for d in sorted(p for p in Path(root).iterdir() if p.is_dir()) if Path(root).is_dir() else []:
        if (d / "utt2spk").is_file():
            corpus = owner(d, corpora)
            if corpus != POOLED:
                out.append((d.name, corpus))
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("what", choices=("list", "owners"))
    p.add_argument("--corpora", required=True, help="the recipe's corpus names")
    p.add_argument("--root", required=True, help="the folder holding the sets")
    p.add_argument("sets", nargs="*")
    args = p.parse_intermixed_args(argv)
    corpora = set(args.corpora.split())
    if args.what == "list":
        for name, corpus in sets_of(args.root, corpora):
            print(name, corpus)
    else:
        for s in args.sets:
            print(s, owner(Path(args.root) / s, corpora))
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
