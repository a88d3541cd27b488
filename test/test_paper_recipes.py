"""The paper recipes' mini configurations run every table and figure script.

A faster subset than the recipes' own ``--mini true`` (one attribute, two
shared-layer counts, a tiny synthetic pair, 2 epochs, 2 trials): every
stage and every report script of egs/podcast/dann runs and writes Tables
I-III and Figs. 7-9.
"""
import subprocess

from conftest import REPO, run_env

PAPER1 = REPO / "egs" / "podcast" / "dann"


def test_paper1_mini_writes_every_table_and_figure(tmp_path):
    env = run_env()
    env.update(MINI_EN_PAPER1=str(tmp_path / "corpora/mini_en"),
               MINI_DE_PAPER1=str(tmp_path / "corpora/mini_de"))
    exp = tmp_path / "exp" / "mini"
    r = subprocess.run(
        ["./run.sh", "--mini", "true", "--attributes", "arousal", "--layers", "1 2",
         "--datadir", str(tmp_path / "data"), "--dumpdir", str(tmp_path / "dump"),
         "--expdir", str(tmp_path / "exp"),
         "--mini-sim-opts", "--utts-per-speaker 3 --unlab-per-speaker 6",
         "--mini-train-args", "train.epochs=3 train.trials=2"],
        cwd=PAPER1, capture_output=True, text=True, env=env, timeout=1200)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-3000:]
    tables = (exp / "tables.md").read_text()
    for title in ("## Table I", "## Table II", "## Table III"):
        assert title in tables
    assert "| 2 | " in tables and "| deep | dann |" in tables and "| shallow | src |" in tables
    for fig in ("fig7_domain_acc.png", "fig8_tsne_last_layer.png", "fig9_tsne_per_layer.png"):
        assert (exp / "figs" / fig).read_bytes()[:4] == b"\x89PNG"
