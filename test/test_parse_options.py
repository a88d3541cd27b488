"""utils/parse_options.sh behaves as Kaldi users expect."""
import subprocess

from conftest import REPO

SCRIPT = """
stage=0
stop_stage=100
use_gpu=false
feat_opts=
. {repo}/utils/parse_options.sh
echo "stage=$stage stop_stage=$stop_stage use_gpu=$use_gpu feat_opts=$feat_opts rest=$*"
"""


def parse(*args, cwd=None):
    return subprocess.run(["bash", "-c", SCRIPT.format(repo=REPO), "prog", *args],
                          capture_output=True, text=True, cwd=cwd)


def test_maps_dashed_options_to_variables():
    r = parse("--stop-stage", "5", "--stage=2", "--feat-opts", "a=1 b=2", "x", "y")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "stage=2 stop_stage=5 use_gpu=false feat_opts=a=1 b=2 rest=x y"


def test_rejects_undeclared_option():
    r = parse("--stopstage", "5")
    assert r.returncode == 1
    assert "undeclared option '--stopstage'" in r.stderr


def test_boolean_takes_only_true_or_false():
    assert parse("--use-gpu", "true").stdout.startswith("stage=0 stop_stage=100 use_gpu=true")
    r = parse("--use-gpu", "yes")
    assert r.returncode == 1 and "takes true or false" in r.stderr


def test_config_file_then_later_options_win(tmp_path):
    (tmp_path / "c.conf").write_text("stage=3\nstop_stage=4\n")
    r = parse("--config", str(tmp_path / "c.conf"), "--stop-stage", "7")
    assert r.stdout.startswith("stage=3 stop_stage=7")
    r = parse("--config", str(tmp_path / "missing.conf"))
    assert r.returncode == 1 and "cannot read config file" in r.stderr


def test_missing_value_and_double_dash():
    r = parse("--stage")
    assert r.returncode == 1 and "needs a value" in r.stderr
    assert parse("--", "--stage", "3").stdout.strip().endswith("rest=--stage 3")
