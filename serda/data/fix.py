"""Repair a data directory the way Kaldi's fix_data_dir.sh does.

Keeps only the utterances present in every utterance-keyed table (and whose
recording is in wav.scp), sorts every table, regenerates spk2utt, and writes
each dropped utterance to ``bad_utts`` with the files that lacked it.
"""
from serda.data.datadir import DataDir, append_bad_utts


def fix_data_dir(path):
    """Fix ``path`` in place. Returns (the number of utterances kept,
    [(dropped utterance, why)]); each dropped one also goes to bad_utts."""
    data = DataDir.load(path)
    utt_tables = [n for n in data.tables if n not in ("wav.scp", "spk2utt")]
    every = set().union(*(data.tables[n] for n in utt_tables))
    if data.has("wav.scp") and not data.has("segments"):  # wav.scp is keyed by utterance
        every |= set(data.tables["wav.scp"])
    lacking = {}
    for name in utt_tables:
        for utt in every - set(data.tables[name]):
            lacking.setdefault(utt, []).append(name)
    if data.has("wav.scp"):
        recs = set(data.tables["wav.scp"])
        if data.has("segments"):
            segs = data.tables["segments"]
            bad = {u for u in segs if segs[u].split()[0] not in recs}
        else:
            bad = set(data.utt2spk) - recs
        for utt in bad:
            lacking.setdefault(utt, []).append("wav.scp")
    keep = every - set(lacking)
    fixed = data.subset(keep)
    fixed.save(path, copy_from=path)
    dropped = [(u, "fix_data_dir: not in " + ", ".join(sorted(lacking[u])))
               for u in sorted(lacking)]
    append_bad_utts(path, dropped)
    return len(keep), dropped
