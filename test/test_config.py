"""Config loading: defaults, YAML overrides, dotted overrides, clear errors."""
import re

import pytest

from serda.config import ConfigError, load_config
from serda.errors import SerdaError


def write(tmp_path, text):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    return path


def labelled_dirs(root, *keys):
    """data.<key>=<dir> overrides of tiny dirs with utt2arousal (unlab: without)."""
    out = []
    for key in keys:
        d = root / "sets" / key
        d.mkdir(parents=True)
        (d / "utt2spk").write_text("s1-u1 s1\n")
        if key != "target_unlab":
            (d / "utt2arousal").write_text("s1-u1 3\n")
        out.append(f"data.{key}={d}")
    return out


def test_defaults_then_file_then_overrides(tmp_path):
    path = write(tmp_path, "method: dann\noptim: {lr: 5e-4}\nmodel: {encoder: {layers: 3}}\n")
    cfg = load_config(path, ["optim.lr=1e-3", "train.epochs=7", "adapt.grl.schedule=ganin"])
    assert cfg.method == "dann" and cfg.optim.lr == 1e-3 and cfg.train.epochs == 7
    assert cfg.model.encoder.layers == 3 and cfg.model.encoder.hidden == 256
    assert cfg.adapt.grl.schedule == "ganin" and cfg.optim.clip_norm == 10.0
    assert load_config(path).optim.lr == 5e-4       # YAML 1.1 reads 5e-4 as text


def test_unknown_key_names_file_and_dotted_key(tmp_path):
    path = write(tmp_path, "model: {encoder: {hiden: 3}}\n")
    with pytest.raises(ConfigError, match=r"c.yaml: unknown key 'model.encoder.hiden'"):
        load_config(path)
    with pytest.raises(ConfigError, match=r"command line: unknown key 'train.epoch'"):
        load_config(None, ["train.epoch=3"])


def test_wrong_types_and_choices(tmp_path):
    with pytest.raises(ConfigError, match="'train.epochs' takes a whole number"):
        load_config(None, ["train.epochs=2.5"])
    with pytest.raises(ConfigError, match="'model.encoder.batchnorm' takes true or false"):
        load_config(None, ["model.encoder.batchnorm=1"])
    with pytest.raises(ConfigError, match="'train.select' must be one of"):
        load_config(None, ["train.select=target_test"])
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(write(tmp_path, "a: [1,\n"))


def test_resolved_config_is_valid_yaml_with_line_breaks_in_overrides(tmp_path):
    """A multi-line --train-args (a recipe's long override list) stays one
    comment line in the header; an unknown method is refused before any job."""
    import subprocess
    import sys

    import yaml

    from conftest import run_env
    conf = tmp_path / "c.yaml"
    conf.write_text("method: mrd\ntrain: {select: last}\n")
    out = tmp_path / "exp" / "config.yaml"
    data = labelled_dirs(tmp_path, "source_train", "target_unlab")
    r = subprocess.run([sys.executable, "-m", "serda.bin.resolve_config", "--conf", str(conf),
                        "--out", str(out), "--train-args", "train.epochs=3\n  optim.lr=1e-3",
                        "--print", "train.epochs", "--print", "optim.lr", *data],
                       capture_output=True, text=True, env=run_env())
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["3", "0.001"]
    assert yaml.safe_load(out.read_text())["optim"]["lr"] == 1e-3
    assert all(line.startswith("#") for line in out.read_text().splitlines()[:5])
    conf.write_text("method: mdr\n")
    bad = subprocess.run([sys.executable, "-m", "serda.bin.resolve_config", "--conf", str(conf),
                          "--out", str(tmp_path / "x.yaml")], capture_output=True, text=True,
                         env=run_env())
    assert bad.returncode == 1 and "unknown method 'mdr' (known: " in bad.stderr
    assert "coral, dan, dann, " in bad.stderr and "mrd, pseudo_label, source_only" in bad.stderr


@pytest.mark.parametrize("override, message", [
    ("adapt.grl.schedule=linaer", "'adapt.grl.schedule' must be one of constant, linear, ganin"),
    ("model.encoder.activation=rellu", "'model.encoder.activation' must be one of relu, selu"),
    ("model.domain_head.activation=tanh", "'model.domain_head.activation' must be one of"),
    ("task.label_map=scale_to_pm5", "'task.label_map' must be one of binarize, "),
    ("model.encoder.type=lstm", "'model.encoder.type': unknown encoder 'lstm'"),
    ("optim.name=adamw", "'optim.name' must be one of adam, adadelta, sgd"),
    ("train.epochs=0", "'train.epochs' must be >= 1, not 0"),
    ("train.batch_size=0", "'train.batch_size' must be >= 2, not 0"),
    ("optim.lr=0", "'optim.lr' must be > 0.0, not 0.0"),
    ("optim.lr=-1e-3", "'optim.lr' must be > 0.0"),
    ("train.trials=0", "'train.trials' must be >= 1, not 0"),
    ("model.task_head.dropout=1.0", "'model.task_head.dropout' must be < 1.0"),
    ("model.domain_head.layers=2", "unknown key 'model.domain_head' (method 'source_only'"),
    ("adapt.grl.max=1", "unknown key 'adapt.grl' (method 'source_only'"),
])
def test_every_bad_value_is_refused_naming_file_and_key(tmp_path, override, message):
    conf = write(tmp_path, "method: dann\n" if not override.endswith(("=2", "max=1"))
                 else "method: source_only\n")
    key, _, value = override.partition("=")
    parts = key.split(".")
    nested = value
    for part in reversed(parts):
        nested = {part: nested}
    import yaml
    conf.write_text(conf.read_text() + yaml.safe_dump(nested))
    with pytest.raises(ConfigError, match=f"c.yaml: .*{re.escape(message)}"):
        load_config(conf)
    with pytest.raises(ConfigError, match=f"command line: .*{re.escape(message)}"):
        load_config(write(tmp_path, conf.read_text().splitlines()[0] + "\n"), [override])


def test_wildcard_sets_every_part_that_has_the_key():
    cfg = load_config(None, ["method=mrd", "model.*.hidden=64", "model.*.max_norm=2"])
    assert {cfg.model.encoder.hidden, cfg.model.task_head.hidden, cfg.model.task_head2.hidden} \
        == {64}
    assert cfg.model.task_head2.max_norm == 2.0
    cfg = load_config(None, ["model.encoder.type=conv_pool", "model.*.dropout=0.1"])
    assert cfg.model.encoder.dropout == cfg.model.task_head.dropout == 0.1
    with pytest.raises(ConfigError, match=r"'model.\*.hiden': no part of 'model'"):
        load_config(None, ["model.*.hiden=3"])


def test_encoder_type_switches_to_that_encoder_s_settings(tmp_path):
    cfg = load_config(write(tmp_path, "model: {encoder: {type: conv_pool, channels: 8}}\n"))
    assert cfg.model.encoder.type == "conv_pool" and cfg.model.encoder.channels == 8
    with pytest.raises(ConfigError, match=r"unknown key 'model.encoder.max_norm' "
                                          r"\(known: type, layers, channels"):
        load_config(write(tmp_path, "model: {encoder: {type: conv_pool, max_norm: 2}}\n"))


@pytest.mark.parametrize("overrides, present, message", [
    (["train.select=source_dev"], ["source_train"], "'train.select' is source_dev"),
    (["train.select=target_dev"], ["source_train", "source_dev"], "'train.select' is target_dev"),
    (["train.train_on=target", "train.select=last"], ["source_train"], "'train.train_on'"),
    (["method=dann", "train.select=last"], ["source_train"], "trains on unlabelled target rows"),
    (["train.target_shots=2", "train.select=last"], ["source_train"], "'train.target_shots'"),
    (["task.attribute=valence", "train.select=last"], ["source_train"],
     "'task.attribute' is valence"),
    (["model.encoder.type=conv_pool", "train.select=last"], ["source_train"],
     "'model.encoder.type' conv_pool takes frame sequences"),
])
def test_a_setting_needing_what_the_experiment_lacks_is_refused(tmp_path, overrides, present,
                                                                 message):
    from serda.train.resolve import resolve
    conf = write(tmp_path, "method: source_only\n")
    data = labelled_dirs(tmp_path, *present)
    with pytest.raises(ConfigError, match=f"c.yaml .*{re.escape(message)}"):
        resolve(conf, tmp_path / "exp" / "s" / "config.yaml", data + overrides)
    assert not (tmp_path / "exp").exists()


def test_a_latin1_config_is_an_error_naming_file_and_line(tmp_path):
    conf = tmp_path / "dann.yaml"
    conf.write_bytes("method: dann\n# r\u00e9glages de l'article\ntrain: {epochs: 3}\n"
                     .encode("latin-1"))
    with pytest.raises(SerdaError, match=r"dann.yaml:2: not UTF-8 text: byte 0xe9 at column 4"):
        load_config(conf)
    conf.write_bytes(b"\xef\xbb\xbf" + "method: dann\r\n# r\u00e9glages\r\n".encode("utf-8"))
    assert load_config(conf).method == "dann"


def test_resolve_batch_names_a_bad_line(tmp_path):
    from serda.bin.resolve_config import main as resolve_main
    batch = tmp_path / "wave.batch"
    batch.write_text("--exp exp/a --systems conf/src.yaml --feats dump/is13\n\n--exp exp/b\n")
    with pytest.raises(ConfigError, match=rf"{batch}:3: needs --exp, --systems and --feats"):
        resolve_main(["--check", "--batch", str(batch)])
    batch.write_text("--exp exp/a --frobnicate 1\n")
    with pytest.raises(ConfigError, match=rf"{batch}:1: not an experiment's options"):
        resolve_main(["--check", "--batch", str(batch)])
