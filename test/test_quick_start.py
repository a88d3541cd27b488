"""README.md's quick-start blocks, run as a user would, on synthetic corpora:
the block's text is taken from the README, its example paths replaced by
temporary ones and each ./run.sh given small corpora, few epochs and
temporary data, feature and experiment dirs, so the commands cannot rot."""
import csv
import re
import subprocess
import sys

import pytest

from conftest import REPO, run_env, write_wav
from test_cluster_jobs import slurm_is_up

README = REPO / "README.md"


def blocks():
    """{name: shell text} of the README's ``<!-- quick start: name -->`` blocks."""
    text = README.read_text(encoding="utf-8")
    return {m.group(1): m.group(2) for m in re.finditer(
        r"<!-- quick start: ([\w ]+) -->\n```sh\n(.*?)```", text, re.S)}


def run_block(name, tmp, substitutions, run_options, env=None):
    """Run block ``name`` with ``substitutions`` (each must occur) and
    ``run_options`` added to every ./run.sh; returns the output."""
    code = blocks()[name]
    for old, new in substitutions.items():
        assert old in code, f"quick start '{name}' no longer says {old!r}"
        code = code.replace(old, str(new))
    code = code.replace("./run.sh", "./run.sh " + run_options)
    r = subprocess.run(["bash", "-euo", "pipefail", "-c", code], cwd=REPO, capture_output=True,
                       text=True, env=env or run_env(), timeout=1500)
    assert r.returncode == 0, f"{code}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r.stdout + r.stderr


def dirs(tmp):
    return f"--datadir {tmp}/data --dumpdir {tmp}/dump --expdir {tmp}/exp"


def test_the_readme_has_its_quick_starts():
    assert set(blocks()) == {"paper", "own corpora", "predict", "cluster"}


def test_quick_start_paper_recipe(tmp_path):
    env = run_env()
    env.update(MINI_EN_PAPER2=str(tmp_path / "mini_en"), MINI_DE_PAPER2=str(tmp_path / "mini_de"))
    run_block("paper", tmp_path, {}, dirs(tmp_path) + " --mini-folds 3 --mini-sim-opts "
              "'--utts-per-speaker 3 --unlab-per-speaker 0' --mini-train-args "
              "'train.epochs=2 train.trials=2'", env)
    assert "| CCC % (serda) |" in (tmp_path / "exp" / "table1.md").read_text()


def synthetic_manifest(tmp, preset):
    """A synthetic corpus described by a plain manifest (path,speaker,emotion,gender)."""
    root = tmp / "corpora" / preset
    subprocess.run([sys.executable, "-m", "serda.bin.simulate_corpus", "--preset", preset,
                    "--out", str(root), "--utts-per-speaker", "4", "--unlab-per-speaker", "0"],
                   check=True, capture_output=True, env=run_env())
    rows = list(csv.DictReader(line for line in (root / "labels.csv").open()
                               if not line.startswith("#")))
    manifest = root / "manifest.csv"
    manifest.write_text("path,speaker,emotion,gender\n" + "".join(
        f"{r['file']},{r['speaker']},{r['emotion']},{r['gender']}\n" for r in rows))
    return manifest


def test_quick_start_own_corpora_then_predict(tmp_path):
    out = run_block("own corpora", tmp_path, {
        "$HOME/corpora/mine/labels.csv": synthetic_manifest(tmp_path, "mini_en"),
        "$HOME/corpora/theirs/labels.csv": synthetic_manifest(tmp_path, "mini_de")},
        dirs(tmp_path) + " --trials 1 --overrides train.epochs=2")
    board = (tmp_path / "exp" / "arousal" / "LEADERBOARD.md").read_text()
    assert "| src |" in board and "| dann |" in board and "| coral |" in board
    assert "Stage 7" in out
    rec = tmp_path / "recordings"
    write_wav(rec / "a.wav", seconds=1.0)
    write_wav(rec / "b.flac", seconds=1.0, seed=2)
    run_block("predict", tmp_path, {
        "egs/cross_corpus/mlp/exp": tmp_path / "exp", "$HOME/recordings": rec,
        "--out preds.csv": f"--out {tmp_path}/preds.csv",
        "my_model": tmp_path / "my_model", "--out a.csv": f"--out {tmp_path}/a.csv"},
        "")
    rows = list(csv.DictReader((tmp_path / "preds.csv").open()))
    assert sorted(r["id"] for r in rows) == ["a", "b"] and all(r["prediction"] for r in rows)
    assert (tmp_path / "my_model" / "export.yaml").is_file()
    assert len(list(csv.DictReader((tmp_path / "a.csv").open()))) == 1


@pytest.mark.skipif(not slurm_is_up(), reason="no Slurm (run tools/start_slurm.sh)")
def test_quick_start_cluster(tmp_path):
    env = run_env()
    env.update(MINI_EN=str(tmp_path / "mini_en"), MINI_DE=str(tmp_path / "mini_de"))
    out = run_block("cluster", tmp_path, {}, dirs(tmp_path) + " --sim-opts "
                    "'--utts-per-speaker 2 --unlab-per-speaker 2' --stop-stage 3", env)
    assert "(backend: slurm)" in out
    assert list((tmp_path / "dump" / "is13" / "mini_de_test" / "log").glob("q/*.submit"))
