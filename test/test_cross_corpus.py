"""egs/cross_corpus/mlp on three tiny corpora, one of them imported from a
manifest (--corpus table) and two synthetic: every ordered pair with src and
dann, each corpus' own cross-validation, LEADERBOARD.md and heatmaps."""
import csv
import subprocess
import sys

from conftest import REPO, run_env

RECIPE = REPO / "egs" / "cross_corpus" / "mlp"


def manifest_of_synthetic_corpus(tmp_path, env):
    """mini_en synthesised, then described by a CSV manifest with its own codes."""
    root = tmp_path / "corpora" / "mini_en"
    subprocess.run([sys.executable, "-m", "serda.bin.simulate_corpus", "--preset", "mini_en",
                    "--out", str(root), "--utts-per-speaker", "6", "--unlab-per-speaker", "0"],
                   check=True, env=env, capture_output=True)
    rows = list(csv.DictReader(line for line in (root / "labels.csv").open()
                               if not line.startswith("#")))
    words = {"neu": "neutral", "hap": "happy", "ang": "angry", "sad": "sad"}
    manifest = tmp_path / "own" / "labels.csv"
    manifest.parent.mkdir()
    manifest.write_text("path,speaker,emotion,gender\n" + "".join(
        f"{root / r['file']},{r['speaker']},{words[r['emotion']]},{r['gender']}\n" for r in rows))
    return manifest


def test_leaderboard_of_an_imported_and_two_synthetic_corpora(tmp_path):
    env = run_env()
    env["OWN"] = str(manifest_of_synthetic_corpus(tmp_path, env))
    env.update({c.upper(): str(tmp_path / "corpora" / c) for c in ("mini_de", "mini_acted_de")})
    r = subprocess.run(
        ["./run.sh", "--corpora", "table:own synth:mini_de synth:mini_acted_de",
         "--prep-opts", "own.language=en own.codes=neutral:neu,happy:hap,angry:ang,sad:sad",
         "--simulate", "true", "--sim-opts", "--utts-per-speaker 6 --unlab-per-speaker 0",
         "--methods", "src dann", "--task", "arousal", "--trials", "2",
         "--overrides", "train.epochs=3",
         "--datadir", str(tmp_path / "data"), "--dumpdir", str(tmp_path / "dump"),
         "--expdir", str(tmp_path / "exp")],
        cwd=RECIPE, capture_output=True, text=True, env=env, timeout=1200)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-3000:]
    exp = tmp_path / "exp" / "arousal"
    board = (exp / "LEADERBOARD.md").read_text()
    assert "## Ranking" in board and "| src |" in board and "| dann |" in board
    assert "| **own** |" in board and "(within-corpus, 3 corpora)" in board
    # the recommendation, then one matrix per method
    assert [line for line in board.splitlines() if line.startswith("### ")] == [
        "### Recommended per pair: src, selected by IWV", "### src", "### dann"]
    for name in ("ua_src.png", "ua_dann.png", "gain_dann.png"):
        assert (exp / "figs" / name).read_bytes()[:4] == b"\x89PNG"
    assert not (exp / "figs" / "gain_src.png").exists()
    # six ordered pairs, each target scored on the whole corpus
    pairs = [d for d in exp.iterdir() if d.is_dir() and "2" in d.name]
    assert len(pairs) == 6
    assert (tmp_path / "data" / "own_all" / "spk2gender").is_file()
