"""egs/cross_corpus/mlp on three tiny synthetic corpora: every ordered pair with
src and dann, each corpus' own cross-validation, LEADERBOARD.md and heatmaps."""
import subprocess

from conftest import REPO, run_env

RECIPE = REPO / "egs" / "cross_corpus" / "mlp"


def test_leaderboard_of_three_synthetic_corpora(tmp_path):
    corpora = ("mini_en", "mini_de", "mini_acted_de")
    env = run_env()
    env.update({f"{c.upper()}_CROSS": str(tmp_path / "corpora" / c) for c in corpora})
    r = subprocess.run(
        ["./run.sh", "--mini", "true", "--methods", "src dann", "--task", "arousal",
         "--mini-sim-opts", "--utts-per-speaker 6 --unlab-per-speaker 0",
         "--mini-train-args", "train.epochs=3", "--mini-trials", "2",
         "--datadir", str(tmp_path / "data"), "--dumpdir", str(tmp_path / "dump"),
         "--expdir", str(tmp_path / "exp")],
        cwd=RECIPE, capture_output=True, text=True, env=env, timeout=1200)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-3000:]
    exp = tmp_path / "exp" / "mini_arousal"
    board = (exp / "LEADERBOARD.md").read_text()
    assert "## Ranking" in board and "| src |" in board and "| dann |" in board
    assert "| **mini_en** |" in board and "(within-corpus, 3 corpora)" in board
    assert board.count("### ") == 2                       # one matrix per method
    for name in ("ua_src.png", "ua_dann.png", "gain_dann.png"):
        assert (exp / "figs" / name).read_bytes()[:4] == b"\x89PNG"
    assert not (exp / "figs" / "gain_src.png").exists()
    # six ordered pairs; every target scored on the whole corpus
    assert len([d for d in exp.iterdir() if "2" in d.name and d.is_dir()]) == 6
