"""Pool several data directories into one (Kaldi combine_data.sh).

Utterance ids must be unique across the inputs. A table is kept only when
every input has it (a label file missing in one input would otherwise leave
utterances unlabelled); dropped tables are reported. ``utt2corpus`` is filled
from each input's attributes.yaml so multi-corpus training knows the source.
Combining finished feature dirs gives a finished feature dir (feats.scp is an
utterance table; the ``.done`` stamp is derived from the inputs').
"""
from serda.data.datadir import DataDir
from serda.data.fingerprint import write_derived_stamp
from serda.errors import InputError


def combine_data_dirs(srcs, dest):
    """Combine ``srcs`` into ``dest``; returns (n_utts, dropped_table_names)."""
    datas = [DataDir.load(s) for s in srcs]
    for d in datas:
        corpus = d.attributes.get("corpus")
        if "utt2corpus" not in d.tables and corpus:
            d.tables["utt2corpus"] = {u: corpus for u in d.utts}
    names = set.intersection(*(set(d.tables) for d in datas)) - {"spk2utt"}
    dropped = sorted(set.union(*(set(d.tables) for d in datas)) - names - {"spk2utt"})
    combined = {n: {} for n in names}
    owner = {}
    for d in datas:
        for name in names:
            for key, value in d.tables[name].items():
                if name == "utt2spk" and key in owner:
                    raise InputError(d.path / "utt2spk",
                                     f"utterance '{key}' is also in {owner[key]}")
                if name == "utt2spk":
                    owner[key] = d.path
                combined[name][key] = value
    attributes = _combine_attributes([d.attributes for d in datas], srcs)
    DataDir(combined, attributes).save(dest)
    write_derived_stamp(dest, srcs, combined["utt2spk"], "combined")
    return len(combined["utt2spk"]), dropped


def _combine_attributes(attrs, srcs):
    """Merge attributes.yaml; differing scales of one label are an error."""
    names = [n for a in attrs for n in str(a.get("corpus", "?")).split("+")]
    merged = {"corpus": "+".join(dict.fromkeys(names)),
              "combined_from": [str(s) for s in srcs], "attributes": {}}
    for a, src in zip(attrs, srcs):
        for dim, spec in (a.get("attributes") or {}).items():
            have = merged["attributes"].get(dim)
            if have is not None and have.get("scale") != spec.get("scale"):
                raise InputError(f"{src}/attributes.yaml",
                                 f"'{dim}' scale {spec.get('scale')} differs from "
                                 f"{have.get('scale')} of an earlier input: map the "
                                 "labels to a common scale before combining")
            merged["attributes"].setdefault(dim, spec)
    return merged
