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


def test_resolved_config_is_valid_yaml_with_line_breaks_in_overrides(tmp_path):
    """A multi-line --train-args (a recipe's long override list) stays one
    comment line in the header; an unknown method is refused before any job."""
    import subprocess
    import sys

    import yaml

    from conftest import run_env
    conf = tmp_path / "c.yaml"
    conf.write_text("method: mrd\n")
    out = tmp_path / "exp" / "config.yaml"
    r = subprocess.run([sys.executable, "-m", "serda.bin.resolve_config", "--conf", str(conf),
                        "--out", str(out), "--train-args", "train.epochs=3\n  optim.lr=1e-3",
                        "--print", "train.epochs", "--print", "optim.lr"],
                       capture_output=True, text=True, env=run_env())
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["3", "0.001"]
    assert yaml.safe_load(out.read_text())["optim"]["lr"] == 1e-3
    assert all(line.startswith("#") for line in out.read_text().splitlines()[:5])
    conf.write_text("method: mdr\n")
    bad = subprocess.run([sys.executable, "-m", "serda.bin.resolve_config", "--conf", str(conf),
                          "--out", str(tmp_path / "x.yaml")], capture_output=True, text=True,
                         env=run_env())
    assert bad.returncode == 1 and "unknown method 'mdr' (known: coral, dann, mrd, source_only)" \
        in bad.stderr
