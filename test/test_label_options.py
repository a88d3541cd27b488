"""Labels across corpora and class balance: category_to_binary from each set's
own table, the 4-class map, balanced class weights (against sklearn), and
Kaldi's spk2gender."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from conftest import make_data_dir
from serda.config import load_config
from serda.data.datadir import DataDir
from serda.data.labels import category_to_class
from serda.errors import SerdaError
from serda.methods import build_method
from serda.methods.base import class_weights
from serda.settings import ConfigError
from serda.train.data import read_labels


def corpus_dir(root, corpus, native, emo):
    d = make_data_dir(root, n_spk=1, n_utt=len(native))
    utts = DataDir.load(d).utts
    (d / "attributes.yaml").write_text(f"corpus: {corpus}\nlanguage: de\n")
    (d / "utt2emo_native").write_text("".join(f"{u} {c}\n" for u, c in zip(utts, native)))
    (d / "utt2emo").write_text("".join(f"{u} {c}\n" for u, c in zip(utts, emo)))
    return d, utts


def test_one_binary_config_serves_two_corpora_with_different_codes(tmp_path):
    # EmoDB: W anger, F happiness, T sadness, N neutral; SAVEE: a, h, sa, n
    emodb, e_utts = corpus_dir(tmp_path / "emodb", "emodb", ["W", "F", "T", "N"],
                               ["ang", "hap", "sad", "neu"])
    savee, s_utts = corpus_dir(tmp_path / "savee", "savee", ["a", "h", "sa", "n"],
                               ["ang", "hap", "sad", "neu"])
    for attribute in ("emo_native", "emo"):      # each corpus' own table; the normalised one
        for dimension, expected in (("arousal", [1, 1, 0, 0]), ("valence", [0, 1, 0, 1])):
            cfg = load_config(None, ["task.type=classification", f"task.attribute={attribute}",
                                     "task.label_map=category_to_binary",
                                     f"task.label_args={{dimension: {dimension}}}"])
            assert read_labels(emodb, e_utts, cfg.task).tolist() == expected
            assert read_labels(savee, s_utts, cfg.task).tolist() == expected
    unknown, u_utts = corpus_dir(tmp_path / "own", "my_corpus", ["x1"], ["neu"])
    cfg = load_config(None, ["task.type=classification", "task.attribute=emo_native",
                             "task.label_map=category_to_binary",
                             "task.label_args={dimension: arousal}"])
    with pytest.raises(Exception, match="my_corpus"):
        read_labels(unknown, u_utts, cfg.task)


def test_four_classes_merge_excitement_into_happiness():
    y = category_to_class(["neu", "hap", "exc", "ang", "sad"])
    assert y.tolist() == [0, 1, 1, 2, 3]
    with pytest.raises(SerdaError, match="'fea'"):
        category_to_class(["neu", "fea"])


def test_balanced_class_weights_match_sklearn():
    from sklearn.utils.class_weight import compute_class_weight
    y = np.array([0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 2])
    expected = compute_class_weight("balanced", classes=np.arange(3), y=y)
    np.testing.assert_allclose(class_weights(torch.tensor(y), 3).numpy(), expected, rtol=1e-6)
    assert class_weights(torch.tensor([0, 0, 2]), 3)[1] == 0        # an absent class


def test_balanced_training_weights_the_task_loss():
    cfg = load_config(None, ["method=source_only", "task.type=classification",
                             "task.class_weights=balanced", "model.encoder.dropout_in=0.0",
                             "model.*.dropout=0.0"])
    torch.manual_seed(0)
    method = build_method(cfg, (5,), 2)
    y = torch.tensor([0, 0, 0, 1])
    method.set_class_weights(y)
    x = torch.randn(4, 5)
    method.eval()
    logits = method.predict(x)
    w = torch.tensor([4 / 6, 4 / 2])
    per_row = F.cross_entropy(logits, y, reduction="none")
    expected = (w[y] * per_row).sum() / w[y].sum()
    torch.testing.assert_close(method.task_loss(logits, y), expected)
    state = method.state_dict()                       # a decoder rebuilds it from the state
    twin = build_method(cfg, (5,), 2)
    twin.load_trained_state(state)
    torch.testing.assert_close(twin.class_weight, w)


def test_class_weights_are_refused_where_they_would_be_ignored(tmp_path):
    from serda.train.preflight import check_config
    cfg = load_config(None, ["method=cada", "task.type=classification",
                             "task.class_weights=balanced", "train.target_shots=2"])
    with pytest.raises(ConfigError, match="does not weight its loss by class"):
        check_config(cfg, "conf/x.yaml", ())


def test_data_dirs_write_spk2gender(tmp_path):
    d = make_data_dir(tmp_path / "d", n_spk=2, n_utt=2)
    data = DataDir.load(d)
    data.save(tmp_path / "copy")
    lines = (tmp_path / "copy" / "spk2gender").read_text().split("\n")
    assert lines[:2] == ["spk1 f", "spk2 m"]
    data.tables["utt2gender"][data.utts[0]] = "m"      # a speaker with two genders
    data.save(tmp_path / "copy")
    assert not (tmp_path / "copy" / "spk2gender").exists()


def test_auto_class_weights_balance_classification_where_the_method_can():
    from serda.methods import get_method
    from serda.methods.base import weights_classes
    cases = ((["method=source_only", "task.type=classification"], True),
             (["method=source_only", "task.type=regression"], False),
             (["method=cada", "task.type=classification"], False),      # 2K-category loss
             (["method=dann", "task.type=classification", "task.class_weights=none"], False))
    for overrides, expected in cases:
        cfg = load_config(None, overrides)
        assert cfg.task.class_weights == ("none" if "task.class_weights=none" in overrides
                                          else "auto")
        assert weights_classes(cfg, get_method(cfg.method)) is expected
