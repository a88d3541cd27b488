"""A recipe's derived sets get their utterances' features from the corpus splits'."""
import pytest

from conftest import make_data_dir
from serda.data.combine import combine_data_dirs
from serda.data.datadir import DataDir
from serda.data.derive import derive_feature_dir, plan
from serda.data.subset import subset_data_dir
from serda.data.table import write_table
from serda.errors import InputError


def fake_features(data_dir, dest, bad=()):
    """A finished feature dir of ``data_dir``: every utterance but ``bad``."""
    data = DataDir.load(data_dir)
    kept = [u for u in data.utts if u not in bad]
    out = data.subset(kept)
    out.tables["feats.scp"] = {u: f"{dest}/data/feats.1.ark:{i * 10}" for i, u in enumerate(kept)}
    out.save(dest)
    if bad:
        write_table(dest / "bad_utts", {u: "extract_features: empty audio" for u in bad})
    (dest / ".done").write_text("feat=x src=1\n")


def test_plan_extracts_only_the_splits_the_wanted_sets_need(tmp_path):
    data = tmp_path / "data"
    for split, n_spk in (("c_ses1", 1), ("c_ses2", 2), ("c_ses3", 1)):
        make_data_dir(data / split, n_spk=n_spk, n_utt=2)
        # distinct utterance ids per split
        d = DataDir.load(data / split)
        renamed = {t: {f"{split}-{k}": v for k, v in tab.items()} for t, tab in d.tables.items()
                   if t not in ("spk2utt", "wav.scp")}
        renamed["utt2spk"] = {k: f"{split}-{v}" for k, v in renamed["utt2spk"].items()}
        renamed["wav.scp"] = {f"{split}-{k}": v for k, v in d.tables["wav.scp"].items()}
        import shutil
        shutil.rmtree(data / split)
        DataDir(renamed, d.attributes).save(data / split)
    combine_data_dirs([data / "c_ses1", data / "c_ses2"], data / "c_train")
    assert plan(data, ["c_ses1", "c_ses2", "c_ses3"], ["c_train"]) == (["c_ses1", "c_ses2"],
                                                                       ["c_train"])
    assert plan(data, ["c_ses1", "c_ses2", "c_ses3"], ["c_ses3", "c_train"])[0] == \
        ["c_ses1", "c_ses2", "c_ses3"]
    feats = tmp_path / "dump"
    fake_features(data / "c_ses1", feats / "c_ses1")
    bad = DataDir.load(data / "c_ses2").utts[0]
    fake_features(data / "c_ses2", feats / "c_ses2", bad=[bad])
    splits = [feats / "c_ses1", feats / "c_ses2"]
    assert derive_feature_dir(data / "c_train", feats / "c_train", splits) == (5, 1)
    train = DataDir.load(feats / "c_train")
    assert len(train.tables["feats.scp"]) == 5 and bad not in train.tables["feats.scp"]
    assert train.tables["feats.scp"] == {u: v for d in splits for u, v in
                                         DataDir.load(d).tables["feats.scp"].items()}
    assert f"{bad} extract_features: empty audio" in (feats / "c_train/bad_utts").read_text()
    assert derive_feature_dir(data / "c_train", feats / "c_train", splits) is None   # up to date
    (feats / "c_ses1/.done").write_text("feat=x src=2\n")                            # re-extracted
    assert derive_feature_dir(data / "c_train", feats / "c_train", splits) == (5, 1)
    # a set with an utterance in no split is refused, naming it
    subset_data_dir(data / "c_ses3", data / "c_odd", first=1)
    with pytest.raises(InputError, match="in no corpus split"):
        plan(data, ["c_ses1", "c_ses2"], ["c_odd"])
