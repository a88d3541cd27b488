"""egs/cross_corpus/mlp with every adaptation method of conf/ on two tiny
synthetic corpora, then a grid: each method trains, decodes and appears in
the leaderboard's model-selection tables; the epoch a rule picks from the
per-epoch records reproduces stage 5's decode."""
import json
import subprocess

import pytest

from conftest import REPO, run_env
from serda import layout
from serda.results import trial_metrics
from serda.selection.leaderboard import trial_choices

RECIPE = REPO / "egs" / "cross_corpus" / "mlp"
METHODS = sorted(p.stem for p in (RECIPE / "conf").glob("*.yaml"))


def recipe(tmp_path, env, *extra):
    r = subprocess.run(
        ["./run.sh", "--mini", "true", "--mini-corpora", "mini_en mini_de",
         "--mini-sim-opts", "--utts-per-speaker 6 --unlab-per-speaker 0",
         "--mini-train-args", "train.epochs=3", "--mini-trials", "2",
         "--datadir", str(tmp_path / "data"), "--dumpdir", str(tmp_path / "dump"),
         "--expdir", str(tmp_path / "exp"), *extra],
        cwd=RECIPE, capture_output=True, text=True, env=env, timeout=1200)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-3000:]
    return tmp_path / "exp" / "mini_valence"


@pytest.fixture(scope="module")
def every_method(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("xc")
    env = run_env()
    env.update({f"{c.upper()}_CROSS": str(tmp / "corpora" / c) for c in ("mini_en", "mini_de")})
    exp = recipe(tmp, env, "--methods", " ".join(METHODS))
    board_all, shift_all = (exp / "LEADERBOARD.md").read_text(), (exp / "SHIFT.md").read_text()
    recipe(tmp, env, "--stage", "4", "--methods", "src dann", "--grid", "true")
    return exp, board_all, shift_all


def test_every_method_of_conf_trains_and_is_ranked(every_method):
    exp, board, shift = every_method
    assert len(METHODS) >= 12
    for m in METHODS:
        assert f"| {m} |" in board, m
        for pair in ("mini_en2mini_de", "mini_de2mini_en"):
            assert layout.any_trained(exp / pair / m)
    assert "## Model selection without target labels" in board
    assert "oracle ‡" in board and "upper bound" in board
    assert "### Recommended per pair: src, selected by IWV" in board and "| oracle ‡ |" in board
    assert "| mini_en -> mini_de |" in shift and "pseudo decides 1" in shift


def test_a_rules_epoch_reproduces_the_decode(every_method):
    exp = every_method[0]
    for m in ("src", "adabn", "pseudo"):
        d = exp / "mini_en2mini_de" / m
        picks = trial_choices(d, "source_dev")
        decoded = [100 * v for v in trial_metrics(d, "target_test")["ua"]]
        assert [ua for _, ua in picks] == pytest.approx(decoded, abs=1e-9), m
        summary = json.loads((d / "trial1" / layout.SUMMARY).read_text())
        assert set(summary["selected_by"]) == {"source_dev", "iwv", "dev", "snd", "entropy",
                                               "oracle"}


def test_the_grid_adds_settings_the_rules_choose_from(every_method):
    exp = every_method[0]
    assert (exp / "mini_en2mini_de" / "dann+g0.3" / "trial1" / layout.SUMMARY).is_file()
    board = (exp / "LEADERBOARD.md").read_text()
    assert "| dann | IWV |" in board
    rows = [line for line in board.splitlines() if line.startswith("| mini_en -> mini_de |")]
    assert rows and ("dann" in rows[0] or "src" in rows[0])
