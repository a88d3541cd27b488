"""Bring a feature dir's copies of its data dir's tables up to date.

python -m serda.data.refresh <data-dir> <feature-dir>

A feature dir (dump/<feat>/<set>) is a copy of its data dir's tables plus
feats.scp. Features depend on the audio only (its stamp:
serda.data.fingerprint.data_fingerprint), so a corrected label, speaker or
gender in the data dir must not extract anything again, but must reach the
copies: this rewrites every table of the feature dir from the data dir,
restricted to the utterances that have features, removes the tables the
data dir no longer has, and says what changed. The trained systems see the
change through their data stamp (serda.train.resolve.data_stamp).
"""
import sys
from pathlib import Path

from serda.cli import run_cli
from serda.data.datadir import DataDir
from serda.data.fingerprint import FEATURE_TABLES, table_files


def refresh_tables(src, dest):
    """Rewrite the tables of feature dir ``dest`` from data dir ``src``;
    returns the names of the files that changed ([] when none did)."""
    src, dest = Path(src), Path(dest)
    before = {p.name: p.read_bytes() for p in table_files(dest)}
    have = DataDir.load(dest)
    new = DataDir.load(src).subset(have.utts)
    lost = sorted(set(have.utts) - set(new.utts))
    if lost:
        from serda.errors import InputError
        raise InputError(src / "utt2spk", f"utterance '{lost[0]}' (and {len(lost) - 1} more) "
                         f"of {dest} is no longer in the data dir, but its audio is unchanged: "
                         "remove the feature dir to extract it again")
    for name in FEATURE_TABLES:
        if name in have.tables and name != "spk2utt":
            new.tables[name] = have.tables[name]
    for name in set(have.tables) - set(new.tables) - {"spk2utt"}:
        (dest / name).unlink()
    new.save(dest, copy_from=dest)
    after = {p.name: p.read_bytes() for p in table_files(dest)}
    return sorted(n for n in set(before) | set(after) if before.get(n) != after.get(n))


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m serda.data.refresh <data-dir> <feature-dir>", file=sys.stderr)
        return 2
    changed = refresh_tables(*args)
    if changed:
        print(f"refresh: {args[1]}: {', '.join(changed)} taken again from {args[0]} "
              "(features kept: the audio is unchanged)")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
