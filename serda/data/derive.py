"""Feature dirs of a recipe's derived sets, from the corpus splits' features.

Stage 1 writes each corpus' own splits (``data/local/<name>.splits`` lists
them); a recipe's ``local/data.sh`` then makes its sets out of them (a
source train set of several sessions, the whole corpus as target test and
unlabelled pool, cross-validation folds) with utils/combine_data.py,
subset_data_dir.py, copy_data_dir.py or make_cv_sets.py, which keep the
utterance ids. Stage 2 extracts the features of the splits only, once per
audio file whatever roles it plays, and gives every derived set the
feats.scp lines (and bad_utts entries) of its utterances:

    python -m serda.data.derive plan --datadir data --splits "<split sets>" \
        --sets "<wanted sets>"        # the splits to extract, then the sets to derive
    python -m serda.data.derive make --datadir data --feats dump/is13 \
        --splits "<extracted splits>" --sets "<sets to derive>"

A derived feature dir's ``.done`` stamp names its data dir's fingerprints
(audio and tables: labels included) and the stamps of the split feature dirs
it read, so it is made again when any of them changes.
"""
import hashlib
import shutil
import sys
from pathlib import Path

from serda.data.datadir import DataDir, append_bad_utts
from serda.data.fingerprint import DONE, data_fingerprint, tables_fingerprint
from serda.data.table import read_table
from serda.errors import InputError
from serda.features.spec import SPEC


def plan(datadir, splits, wanted):
    """(splits to extract, derived sets to make) for the ``wanted`` sets:
    the wanted splits plus every split holding an utterance of a wanted
    derived set, in the order given."""
    splits, wanted = list(dict.fromkeys(splits)), list(dict.fromkeys(wanted))
    derived = [s for s in wanted if s not in splits]
    owner = {}
    for s in splits:
        for utt in read_table(Path(datadir) / s / "utt2spk"):
            owner.setdefault(utt, s)
    needed = {s for s in wanted if s in splits}
    for s in derived:
        utts = read_table(Path(datadir) / s / "utt2spk")
        missing = [u for u in utts if u not in owner]
        if missing:
            raise InputError(Path(datadir) / s / "utt2spk",
                             f"utterance '{missing[0]}' (and {len(missing) - 1} more) is in "
                             f"no corpus split ({', '.join(splits)}): a derived set must be "
                             "made of the splits' utterances")
        needed.update(owner[u] for u in utts)
    return [s for s in splits if s in needed], derived


def _stamp(data_dir, split_dirs):
    parts = [f"data={data_fingerprint(data_dir)}", f"tables={tables_fingerprint(data_dir)}"]
    for d in split_dirs:
        done = Path(d) / DONE
        h = hashlib.sha256(done.read_bytes()).hexdigest()[:16] if done.is_file() else "none"
        parts.append(f"{d}:{h}")
    return "derived from " + " ".join(parts) + "\n"


def derive_feature_dir(data_dir, dest, split_dirs, log=print):
    """Write the feature dir ``dest`` of ``data_dir`` from the finished
    feature dirs ``split_dirs``; returns (utterances with features,
    utterances in bad_utts), or None when ``dest`` is already up to date."""
    dest = Path(dest)
    for d in split_dirs:
        if not (Path(d) / DONE).is_file():
            raise InputError(d, "features are not finished (stage 2 of this split first)")
    stamp = _stamp(data_dir, split_dirs)
    if (dest / DONE).is_file() and (dest / DONE).read_text() == stamp:
        log(f"derive: {dest} is complete, skipping")
        return None
    feats, frames, bad = {}, {}, {}
    for d in split_dirs:
        feats.update(read_table(Path(d) / "feats.scp"))
        if (Path(d) / "utt2num_frames").is_file():
            frames.update(read_table(Path(d) / "utt2num_frames"))
        if (Path(d) / "bad_utts").is_file():
            bad.update(read_table(Path(d) / "bad_utts"))
    data = DataDir.load(data_dir)
    kept = [u for u in data.utts if u in feats]
    lost = [u for u in data.utts if u not in feats and u not in bad]
    if lost:
        raise InputError(Path(data_dir) / "utt2spk", f"utterance '{lost[0]}' (and "
                         f"{len(lost) - 1} more) has neither features nor a bad_utts entry "
                         f"in {', '.join(map(str, split_dirs))}")
    out = data.subset(kept)
    out.tables["feats.scp"] = {u: feats[u] for u in kept}
    if frames:
        out.tables["utt2num_frames"] = {u: frames[u] for u in kept}
    (dest / DONE).unlink(missing_ok=True)
    (dest / "bad_utts").unlink(missing_ok=True)
    out.save(dest, copy_from=data_dir)
    specs = [Path(d) / SPEC for d in split_dirs if (Path(d) / SPEC).is_file()]
    if specs:                             # the splits' feature spec (serda.features.spec)
        shutil.copyfile(specs[0], dest / SPEC)
    dropped = [u for u in data.utts if u not in feats]
    append_bad_utts(dest, [(u, bad[u]) for u in dropped])
    (dest / DONE).write_text(stamp, encoding="utf-8")
    log(f"derive: {dest}: {len(kept)} utterances from the splits' features"
        + (f", {len(dropped)} in bad_utts" if dropped else ""))
    return len(kept), len(dropped)


def main(argv=None):
    import argparse

    from serda.cli import run_cli

    def run(argv):
        p = argparse.ArgumentParser(prog="python -m serda.data.derive",
                                    description=__doc__.splitlines()[0])
        sub = p.add_subparsers(dest="what", required=True)
        pl = sub.add_parser("plan")
        pl.add_argument("--datadir", required=True)
        pl.add_argument("--splits", required=True)
        pl.add_argument("--sets", required=True)
        mk = sub.add_parser("make")
        mk.add_argument("--datadir", required=True)
        mk.add_argument("--feats", required=True, help="the feature dirs' root, dump/<feat>")
        mk.add_argument("--splits", required=True, help="the extracted splits")
        mk.add_argument("--sets", required=True, help="the sets to derive")
        args = p.parse_args(argv)
        if args.what == "plan":
            extract, derived = plan(args.datadir, args.splits.split(), args.sets.split())
            print(" ".join(extract))
            print(" ".join(derived))
        else:
            split_dirs = [Path(args.feats) / s for s in args.splits.split()]
            for s in args.sets.split():
                derive_feature_dir(Path(args.datadir) / s, Path(args.feats) / s, split_dirs)
        return 0
    return run_cli(run, argv)


if __name__ == "__main__":
    sys.exit(main())
