"""The paper recipes' mini configurations run every table and figure script.

Faster subsets than the recipes' own ``--mini true``: a tiny synthetic
pair, few epochs and trials. egs/podcast/dann (one attribute, two
shared-layer counts) writes Tables I-III and Figs. 7-9; egs/iemocap_improv/mrd
(3 target folds) writes RESULTS.md, Table 1 and Fig. 2, its train-on-target
row pooled from cross-validation folds that test every target utterance once;
egs/aibo_emodb/cada (k = 2 and 4, 3 folds, 2 trials) writes Tables 2-3 and
Figs. 2-3, every system scored on the whole target corpus;
egs/iemocap_multi/dann_center (2 epochs, 2 trials, a tiny CNN-BLSTM) writes
Tables 2-4 and the embedding figures from per-corpus UA of pooled test sets;
egs/iemocap_recola/dann_xling (one direction and task, 2 epochs, 2 seeds) writes
Tables 1-3, the PCA figure and the training curves.
"""
import csv
import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_env
from serda.data.datadir import DataDir

PAPER1 = REPO / "egs" / "podcast" / "dann"
PAPER2 = REPO / "egs" / "iemocap_improv" / "mrd"
PAPER3 = REPO / "egs" / "aibo_emodb" / "cada"
PAPER4 = REPO / "egs" / "iemocap_multi" / "dann_center"
PAPER5 = REPO / "egs" / "iemocap_recola" / "dann_xling"


def run_mini(recipe, tmp_path, corpora, *options):
    """Run ``recipe``'s ``./run.sh --mini true`` with its corpora, data, dump and exp
    under ``tmp_path``; ``corpora`` maps db.sh variables to corpus names."""
    env = run_env()
    env.update({var: str(tmp_path / "corpora" / name) for var, name in corpora.items()})
    r = subprocess.run(
        ["./run.sh", "--mini", "true", "--datadir", str(tmp_path / "data"),
         "--dumpdir", str(tmp_path / "dump"), "--expdir", str(tmp_path / "exp"), *options],
        cwd=recipe, capture_output=True, text=True, env=env, timeout=1200)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-3000:]


def test_paper1_mini_writes_every_table_and_figure(tmp_path):
    run_mini(PAPER1, tmp_path, {"MINI_EN_PAPER1": "mini_en", "MINI_DE_PAPER1": "mini_de"},
             "--attributes", "arousal", "--layers", "1 2",
             "--mini-sim-opts", "--utts-per-speaker 3 --unlab-per-speaker 6",
             "--mini-train-args", "train.epochs=3 train.trials=2")
    exp = tmp_path / "exp" / "mini"
    tables = (exp / "tables.md").read_text()
    for title in ("## Table I", "## Table II", "## Table III"):
        assert title in tables
    assert "| 2 | " in tables and "| deep | dann |" in tables and "| shallow | src |" in tables
    for fig in ("fig7_domain_acc.png", "fig8_tsne_last_layer.png", "fig9_tsne_per_layer.png"):
        assert (exp / "figs" / fig).read_bytes()[:4] == b"\x89PNG"


def test_paper2_mini_writes_table1_and_fig2(tmp_path):
    run_mini(PAPER2, tmp_path, {"MINI_EN_PAPER2": "mini_en", "MINI_DE_PAPER2": "mini_de"},
             "--mini-folds", "3",
             "--mini-sim-opts", "--utts-per-speaker 3 --unlab-per-speaker 0",
             "--mini-train-args", "train.epochs=3 train.trials=2")
    table = (tmp_path / "exp" / "table1.md").read_text()
    assert "## Source: mini_en, Target: mini_de" in table
    assert "| CCC % (paper) | 17.77 | 38.50 | 21.28 | 23.09 | 28.18 |" in table
    assert table.count("| CCC % (serda) |") == 1 and table.count("| PR % (serda) |") == 1
    results = (tmp_path / "exp" / "mini" / "RESULTS.md").read_text()
    for system in ("source_only", "target", "dann", "coral", "mrd"):
        assert f"| {system} |" in results
    # every German utterance is scored once by the pooled train-on-target system,
    # which is scored on the same set as the adapted systems
    whole = DataDir.load(tmp_path / "dump" / "is10" / "mini_de_tgt_test").utts
    pooled = tmp_path / "exp" / "mini" / "target" / "trial1" / "decode_mini_de_tgt_test"
    assert sorted(line.split()[0] for line in (pooled / "pred").read_text().splitlines()) \
        == sorted(whole)
    mrd = json.loads((tmp_path / "exp/mini/mrd/trial1/decode_mini_de_tgt_test/metrics.json")
                     .read_text())
    assert mrd["n"] == len(whole) == json.loads((pooled / "metrics.json").read_text())["n"]
    fig = tmp_path / "exp" / "mini" / "figs" / "fig2_tsne_valence.png"
    assert fig.read_bytes()[:4] == b"\x89PNG"


def test_paper3_mini_writes_tables_2_3_and_figs_2_3(tmp_path):
    run_mini(PAPER3, tmp_path, {"MINI_CHILD_DE_PAPER3": "mini_child_de",
                                "MINI_ACTED_DE_PAPER3": "mini_acted_de"},
             "--target-folds", "3", "--mini-shots", "2", "--mini-curve-shots", "4",
             "--mini-trials", "2", "--mini-sim-opts", "--utts-per-speaker 8",
             "--mini-train-args", "train.epochs=3")
    exp = tmp_path / "exp" / "mini"
    tables = (exp / "tables.md").read_text()
    for title in ("## Table 2: Aibo-Ohm", "## Table 3: Aibo-Mont"):
        assert title in tables
    assert "| CADA (paper) | 58 |" in tables and "| fine-tune (paper) | 55 |" in tables
    assert tables.count("| CADA (serda) |") == 2 and "all-target (every target" in tables
    for fig in ("fig2_ohm.png", "fig3_mont.png"):
        assert (exp / "figs" / fig).read_bytes()[:4] == b"\x89PNG"
    # every system of a school is scored on the whole target corpus: all-source directly,
    # the cross-validated ones by pooling their folds' tests
    whole = len(DataDir.load(tmp_path / "dump" / "gemaps" / "mini_acted_de_tgt_test").utts)
    for system in ("all_source", "cada_k2", "fada_k4", "finetune_k2", "label_target_k4"):
        metrics = json.loads((exp / "ohm" / system / "trial2" / "decode_mini_acted_de_tgt_test"
                              / "metrics.json").read_text())
        assert metrics["n"] == whole and 0.0 <= metrics["ua"] <= 1.0
    # fine-tune started from all-source's trial: same trial, same seed
    summary = json.loads((exp / "ohm" / "finetune_k2" / "fold1" / "trial2" / "summary.json")
                         .read_text())
    assert summary["init_from"].endswith("ohm/all_source") and summary["vectorized"]


def test_paper4_mini_writes_tables_2_4_and_the_embedding_figures(tmp_path):
    corpora = ("mini_dyad_en", "mini_improv_en", "mini_studio_en", "mini_acted_de")
    run_mini(PAPER4, tmp_path, {f"{c.upper()}_PAPER4": c for c in corpora},
             "--mini-trials", "2", "--mini-sim-opts", "--utts-per-speaker 4",
             "--mini-train-args", "train.epochs=2 model.encoder.channels=[2,4] "
             "model.encoder.pool_freq=4 model.encoder.pool_time=2 model.encoder.lstm=4 "
             "model.domain_head.hidden=8")
    exp = tmp_path / "exp" / "mini"
    tables = (exp / "tables.md").read_text()
    for title in ("## Table 2 (arousal)", "## Table 2 (valence)", "## Table 3: arousal",
                  "## Table 4: valence"):
        assert title in tables
    assert "| mini_dyad_en (IEMOCAP) | mini_improv_en (MSP) |" in tables
    assert "| DANN_2 (paper) | S+C | 78.59 | 64.53 | 84.16 | 92.12 | 79.85 |" in tables
    assert tables.count("| DANN_2 (serda) | S+C |") == 4
    for task in ("arousal", "valence"):
        for colour in ("corpus", "class"):
            png = exp / "figs" / f"embeddings_{task}_{colour}.png"
            assert png.read_bytes()[:4] == b"\x89PNG"
    # the cross-corpus heads saw the target corpora (unlabelled), the multi-corpus ones
    # the labelled rows of all four; the baseline has no head
    for tag in ("cross_arousal", "multi_arousal"):
        summary = json.loads((exp / tag / "dann2_sc" / "trial1" / "summary.json").read_text())
        assert sorted(summary["domains"]["corpus"]) == sorted(corpora)
        assert summary["domains"]["lang"] == ["de", "en"]
    cfg = (exp / "cross_arousal" / "dann1_s" / "config.yaml").read_text()
    assert "target_unlab:" in cfg and "xc_unlab" in cfg


def test_paper5_mini_writes_tables_1_3_fig2_and_fig3(tmp_path):
    run_mini(PAPER5, tmp_path, {"MINI_DYAD_EN_PAPER5": "mini_dyad_en",
                                "MINI_DYAD_FR_PAPER5": "mini_dyad_fr"},
             "--directions", "rec2iem", "--tasks", "arousal", "--mini-trials", "2",
             "--mini-sim-opts", "--utts-per-speaker 5",
             "--mini-train-args", "train.epochs=2 model.encoder.filters=8")
    exp = tmp_path / "exp" / "mini"
    tables = (exp / "tables.md").read_text()
    for title in ("## Table 1", "## Table 2", "## Table 3"):
        assert title in tables
    assert "| our (paper) | early stopping on target labels (as the paper) | 71.99(0.33) |" in tables
    assert tables.count("(serda) | early stopping on source speakers |") == 2
    assert "| BN4 (serda) |" in tables and "| mono (serda) |" in tables
    for fig in ("fig2_pca_language.png", "fig2_pca_emotion.png", "fig3_curves.png"):
        assert (exp / "figs" / fig).read_bytes()[:4] == b"\x89PNG"
    # the paper's selection peeks at target labels and says so; the source-dev one does not
    results = (exp / "rec2iem_arousal" / "RESULTS.md").read_text()
    assert "target dev (peeks at target labels)" in results
    srcdev = (exp / "rec2iem_arousal_srcdev" / "RESULTS.md").read_text()
    assert "peeks" not in srcdev
    # the target dev and test sets share no speaker, and together are the whole corpus
    dev = DataDir.load(tmp_path / "data" / "mini_dyad_en_x_dev")
    test = DataDir.load(tmp_path / "data" / "mini_dyad_en_x_test")
    whole = DataDir.load(tmp_path / "data" / "mini_dyad_en_all")
    assert not set(dev.spk2utt()) & set(test.spk2utt())
    assert sorted(dev.utts + test.utts) == sorted(whole.utts)
    # infer on the test set's wav files gives stage 5's decisions, file for file; an
    # exported folder gives the same posteriors as the exp dir
    system = exp / "rec2iem_arousal" / "our"
    wav_scp = tmp_path / "data" / "mini_dyad_en_x_test" / "wav.scp"
    env = run_env()
    for args in (["--system", str(system)], ["--system", str(tmp_path / "exported")]):
        if "exported" in args[1]:
            subprocess.run([sys.executable, "-m", "serda.bin.export", "--system", str(system),
                            "--trials", "1", "--out", args[1]], check=True, env=env,
                           capture_output=True)
        out = tmp_path / f"{Path(args[1]).name}.csv"
        r = subprocess.run([sys.executable, "-m", "serda.bin.infer", *args, "--trials", "1",
                            "--wav-scp", str(wav_scp), "--out", str(out)], env=env,
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr[-2000:]
    stage5 = dict(line.split() for line in (system / "trial1" / "decode_mini_dyad_en_x_test"
                                             / "pred").read_text().splitlines())
    rows = list(csv.DictReader((tmp_path / "our.csv").open()))
    assert len(rows) == len(stage5) == len(test.utts)
    assert all(["low", "high"][int(stage5[r["id"]])] == r["prediction"] for r in rows)
    assert (tmp_path / "our.csv").read_text().replace(str(system), "") == \
        (tmp_path / "exported.csv").read_text().replace(str(system), "")
