"""Speaker-independent folds: gender-balanced speaker folds of a corpus
(for corpora without an official split) and the train / dev / test sets of
a cross-validation over folds (the MRD paper's train-on-target upper bound).

    utils/make_cv_sets.py dump/is10/msp_improv_ses{1..6} dump/is10/msp_improv_cv
    utils/make_cv_sets.py --speaker-folds 3 --fold-prefix dump/is10/mini_de_fold \
        dump/is10/mini_de_all dump/is10/mini_de_cv

Fold f of N: test = fold f, dev = fold f+1 (mod N; model selection), train
= the other N-2 folds; every utterance is tested exactly once over the N
folds, so predictions pool into one score for the whole corpus
(serda.bin.pool_folds).

A speaker-dependent cross-validation (Zhou & Chen's protocol on EmoDB:
"5-fold cross validation (under the speaker-dependent condition) where 10%
training examples are preserved for early stopping") deals the utterances
themselves into N random folds, stratified by a table's value (the
category), and holds out a share of each training part as its dev set
(:func:`random_cv_sets`).
"""
import random
from pathlib import Path

from serda.data.combine import combine_data_dirs
from serda.data.datadir import DataDir
from serda.data.subset import subset_data_dir
from serda.errors import SerdaError


def speaker_folds(spk2gender, n_folds):
    """Speaker -> ``fold<k>`` (1-based), gender-balanced and deterministic.

    Speakers are sorted within each gender and dealt round-robin, females
    first then males continuing the rotation, so each fold gets the same
    number of speakers of each gender where the counts allow.
    ``n_folds`` = number of speakers gives leave-one-speaker-out.
    """
    if n_folds < 2 or n_folds > len(spk2gender):
        raise SerdaError(f"folds must be between 2 and the number of speakers "
                         f"({len(spk2gender)}), not {n_folds}")
    order = sorted(spk2gender, key=lambda s: (str(spk2gender[s]), s))
    return {spk: f"fold{i % n_folds + 1}" for i, spk in enumerate(order)}


def fold_protocol(spk2fold):
    """Text for attributes.yaml: which speakers each fold holds."""
    folds = {}
    for spk, fold in sorted(spk2fold.items()):
        folds.setdefault(fold, []).append(spk)
    return {fold: folds[fold] for fold in sorted(folds, key=lambda f: int(f[4:]))}


def cv_roles(n_folds):
    """[(test, dev, [train...])] fold indices (0-based) of each of the N folds."""
    if n_folds < 3:
        raise SerdaError(f"cross-validation with a dev fold needs at least 3 folds, not {n_folds}")
    return [(f, (f + 1) % n_folds, [k for k in range(n_folds) if k not in (f, (f + 1) % n_folds)])
            for f in range(n_folds)]


def split_by_speaker(src, n_folds, prefix):
    """Split data dir ``src`` into ``<prefix><k>`` dirs (k = 1..N) of whole
    speakers (gender-balanced, :func:`speaker_folds`); returns their paths."""
    data = DataDir.load(src)
    spk2utt = data.spk2utt()
    utt2gender = data.tables.get("utt2gender", {})
    spk2gender = {spk: utt2gender.get(utts[0], "?") for spk, utts in spk2utt.items()}
    spk2fold = speaker_folds(spk2gender, n_folds)
    dirs = []
    for k in range(1, n_folds + 1):
        out = Path(f"{prefix}{k}")
        utt_list = out.with_name(out.name + ".utts")
        out.parent.mkdir(parents=True, exist_ok=True)
        utt_list.write_text("".join(f"{u}\n" for spk in sorted(spk2utt)
                                    if spk2fold[spk] == f"fold{k}" for u in spk2utt[spk]))
        subset_data_dir(src, out, utt_list=utt_list)
        utt_list.unlink()
        dirs.append(out)
    return dirs


def _deal(utts, keys, n, rng):
    """Utterances shuffled within each key and dealt round-robin into n lists."""
    out = [[] for _ in range(n)]
    i = 0
    for key in sorted(set(keys.values())):
        members = sorted(u for u in utts if keys[u] == key)
        rng.shuffle(members)
        for u in members:
            out[i % n].append(u)
            i += 1
    return out


def random_cv_sets(src, prefix, n_folds, dev_share=0.1, seed=1, stratify="utt2emo"):
    """Write ``<prefix><f>_{train,dev,test}`` (f = 1..N) of data dir ``src``:
    utterances dealt into N folds at random (seeded), each class of the
    ``stratify`` table spread evenly; fold f is the test set, and
    ``dev_share`` of the other folds' utterances (per class) the dev set.
    Returns [(train, dev, test)] paths."""
    if n_folds < 2:
        raise SerdaError(f"a cross-validation needs at least 2 folds, not {n_folds}")
    if not 0.0 <= dev_share < 1.0:
        raise SerdaError(f"the dev share must be in [0, 1), not {dev_share}")
    data = DataDir.load(src)
    keys = data.tables.get(stratify) if stratify else None
    if stratify and keys is None:
        raise SerdaError(f"{src}/{stratify}: missing (the table the folds are stratified by)")
    keys = keys or {u: "" for u in data.utts}
    rng = random.Random(seed)
    folds = _deal(data.utts, keys, n_folds, rng)
    sets = []
    for f in range(n_folds):
        rest = [u for g in range(n_folds) if g != f for u in folds[g]]
        dev = []
        for key in sorted({keys[u] for u in rest}):
            members = sorted(u for u in rest if keys[u] == key)
            rng.shuffle(members)
            dev += members[:int(round(dev_share * len(members)))]
        train = sorted(set(rest) - set(dev))
        names = [Path(f"{prefix}{f + 1}_{split}") for split in ("train", "dev", "test")]
        for name, utts in zip(names, (train, dev, folds[f])):
            if not utts:
                raise SerdaError(f"{name}: no utterance (too few for {n_folds} folds and a "
                                 f"dev share of {dev_share})")
            data.subset(utts).save(name, copy_from=src)
        sets.append(tuple(names))
    return sets


def make_cv_sets(fold_dirs, prefix):
    """Write ``<prefix><f>_{train,dev,test}`` for f = 1..N from the N
    ``fold_dirs``; returns [(train, dev, test)] paths."""
    sets = []
    for test, dev, train in cv_roles(len(fold_dirs)):
        names = [Path(f"{prefix}{test + 1}_{split}") for split in ("train", "dev", "test")]
        combine_data_dirs([fold_dirs[k] for k in train], names[0])
        combine_data_dirs([fold_dirs[dev]], names[1])
        combine_data_dirs([fold_dirs[test]], names[2])
        sets.append(tuple(names))
    return sets
