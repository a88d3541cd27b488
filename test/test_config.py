"""Config loading: defaults, YAML overrides, dotted overrides, clear errors."""
import pytest

from serda.config import ConfigError, load_config


def write(tmp_path, text):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    return path


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
