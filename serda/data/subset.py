"""Select part of a data directory (Kaldi subset_data_dir.sh)."""
import random

from serda.data.datadir import DataDir
from serda.data.fingerprint import write_derived_stamp
from serda.data.table import read_table
from serda.errors import InputError


def select_utts(data, utt_list=None, spk_list=None, first=None, last=None,
                random_n=None, seed=0):
    """Utterance ids chosen by exactly one of the selectors.

    ``utt_list``/``spk_list``: files whose first column names utterances or
    speakers (ids absent from ``data`` are an error naming file and line);
    ``first``/``last``: the first/last N in sorted order; ``random_n``: N
    drawn without replacement with ``seed``.
    """
    chosen = [x for x in (utt_list, spk_list, first, last, random_n) if x is not None]
    if len(chosen) != 1:
        raise ValueError("give exactly one of utt_list, spk_list, first, last, random_n")
    utts = data.utts
    if utt_list is not None:
        wanted = read_table(utt_list, allow_empty_value=True)
        known = set(utts)
        for lineno, utt in enumerate(wanted, 1):
            if utt not in known:
                raise InputError(utt_list, f"utterance '{utt}' is not in {data.path}", lineno)
        return [u for u in utts if u in wanted]
    if spk_list is not None:
        wanted = read_table(spk_list, allow_empty_value=True)
        spk2utt = data.spk2utt()
        for lineno, spk in enumerate(wanted, 1):
            if spk not in spk2utt:
                raise InputError(spk_list, f"speaker '{spk}' is not in {data.path}", lineno)
        return [u for u in utts if data.utt2spk[u] in wanted]
    if first is not None:
        return utts[:first]
    if last is not None:
        return utts[len(utts) - last:] if last else []
    if random_n > len(utts):
        raise ValueError(f"asked for {random_n} utterances, {data.path} has {len(utts)}")
    return sorted(random.Random(seed).sample(utts, random_n), key=lambda u: u.encode())


def subset_data_dir(src, dest, **selector):
    """Write the selected utterances of ``src`` to ``dest``; return the count."""
    data = DataDir.load(src)
    utts = select_utts(data, **selector)
    data.subset(utts).save(dest, copy_from=src)
    write_derived_stamp(dest, [src], utts, "subset")
    return len(utts)
