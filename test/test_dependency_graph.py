"""The dependency graph of a recipe, edge by edge: change one input of a tiny
run of egs/mini_en2de/dann (fbank features, a frame-level source-only
system, 1 trial), run the recipe again, and check which stages redo their
work and that nothing else does.

    corpus files -> data dirs -> features -> statistics -> trained system
                    data dirs (labels, speakers) --------------> trained system
    every run: decode (stage 5) and report (stage 6)

A label or speaker change reaches the feature dirs without extracting; a
test set's label, audio or wav.scp changes no trained system (training
does not read it; stage 5 scores it again); a training set's does.
"""
import csv
import re
import subprocess

import numpy as np
import soundfile as sf

from conftest import REPO, run_env
from serda.data.datadir import DataDir

RECIPE = REPO / "egs" / "mini_en2de" / "dann"
CORPORA = ("mini_en", "mini_de")


class Run:
    def __init__(self, tmp):
        self.tmp = tmp
        self.exp = tmp / "exp" / "g"
        self.model = self.exp / "frames_src" / "trial1" / "model.pt"

    def __call__(self, *args, ok=True):
        env = run_env()
        env.update({c.upper(): str(self.tmp / "corpora" / c) for c in CORPORA})
        before = self.model.stat().st_mtime_ns if self.model.is_file() else None
        r = subprocess.run(
            ["./run.sh", "--datadir", str(self.tmp / "data"), "--dumpdir", str(self.tmp / "dump"),
             "--expdir", str(self.tmp / "exp"), "--sim-opts",
             "--utts-per-speaker 2 --unlab-per-speaker 1", "--feat", "fbank", "--tag", "g",
             "--systems", "conf/frames_src.yaml", "--baseline", "frames_src", "--ntrials", "1",
             "--shared-args", "train.epochs=1 train.batch_size=8", *args],
            cwd=RECIPE, capture_output=True, text=True, env=env)
        out = r.stdout + r.stderr
        assert (r.returncode == 0) == ok, out[-4000:]
        after = self.model.stat().st_mtime_ns if self.model.is_file() else None
        return {
            "prepared": {c for c in CORPORA
                         if re.search(rf"prepare_data: \S+/{c}_\w+: \d+ utterances", out)},
            "extracted": set(re.findall(r"extracting fbank for \d+ utterances of \S+/(\w+) ", out)),
            "refreshed": set(re.findall(r"refresh: \S+/(\w+): ", out)),
            "statistics": {c for c in CORPORA if "Stage 3" in out
                           and f"{c}: statistics are complete, skipping" not in out},
            "trained": before != after,
            "out": out,
        }


def edit_label(root, split, column, value):
    """Set ``column`` of the first row of ``split`` in a synthetic corpus'
    labels.csv; returns the file stem of that row."""
    path = root / "labels.csv"
    lines = path.read_text().splitlines(keepends=True)
    head = [ln for ln in lines if ln.startswith("#")]
    rows = list(csv.reader(ln for ln in lines if not ln.startswith("#")))
    header = rows[0]
    row = next(r for r in rows[1:] if r[header.index("split")] == split)
    row[header.index(column)] = value
    with open(path, "w", newline="") as f:
        f.writelines(head)
        csv.writer(f, lineterminator="\n").writerows(rows)
    return row[header.index("file")]


def nothing(state):
    return not (state["prepared"] or state["extracted"] or state["refreshed"]
                or state["statistics"] or state["trained"])


def test_each_input_redoes_exactly_its_dependents(tmp_path):
    run = Run(tmp_path)
    first = run("--simulate", "true")
    assert first["prepared"] == set(CORPORA) and first["trained"]
    assert first["extracted"] == {f"{c}_{s}" for c in CORPORA for s in ("train", "dev", "test")} \
        | {"mini_de_unlab"}
    assert nothing(run()), run()["out"][-3000:]
    results = (run.exp / "RESULTS.md").read_text()
    corpora = tmp_path / "corpora"

    # labels of the target test set: data dir and its feature dir's copy, no extraction,
    # no statistics, no training; stage 5 scores the new labels
    edit_label(corpora / "mini_de", "test", "arousal", "1.0")
    s = run()
    assert s["prepared"] == {"mini_de"} and s["refreshed"] == {"mini_de_test"}
    assert not (s["extracted"] or s["statistics"] or s["trained"])
    assert (run.exp / "RESULTS.md").read_text() != results

    # labels of the source train set: the system reads them, so it is trained again
    edit_label(corpora / "mini_en", "train", "arousal", "5.0")
    s = run()
    assert s["prepared"] == {"mini_en"} and s["refreshed"] == {"mini_en_train"}
    assert not (s["extracted"] or s["statistics"]) and s["trained"]
    assert "the system is trained again" in s["out"]

    # a speaker table of a data dir, edited in place (from stage 2 on): one speaker's
    # gender (utt2spk itself cannot change without renaming utterances: Kaldi's
    # speaker-prefix rule)
    d = DataDir.load(tmp_path / "data" / "mini_en_train")
    spk = d.utt2spk[d.utts[0]]
    for utt in d.spk2utt()[spk]:
        d.tables["utt2gender"][utt] = "m" if d.tables["utt2gender"][utt] == "f" else "f"
    d.save(d.path)
    s = run("--stage", "2")
    assert s["refreshed"] == {"mini_en_train"} and s["trained"]
    assert not (s["extracted"] or s["statistics"])

    # audio of one target test file: that split extracted again, its corpus' statistics
    # written again with the same values (fitted on train + unlab): nothing retrained
    wav = next(iter(DataDir.load(tmp_path / "data" / "mini_de_test").tables["wav.scp"].values()))
    x, sr = sf.read(wav, dtype="float32")
    sf.write(wav, 0.5 * x, sr)
    s = run()
    assert s["prepared"] == {"mini_de"} and s["extracted"] == {"mini_de_test"}
    assert s["statistics"] == {"mini_de"} and not s["trained"]

    # wav.scp of the source train set: extracted again, statistics refitted, retrained
    scp = tmp_path / "data" / "mini_en_train" / "wav.scp"
    table = dict(line.split(" ", 1) for line in scp.read_text().splitlines())
    first_utt = sorted(table)[0]
    x, sr = sf.read(table[first_utt], dtype="float32")
    sf.write(tmp_path / "replacement.wav", np.flip(x).copy(), sr)
    table[first_utt] = str(tmp_path / "replacement.wav")
    scp.write_text("".join(f"{k} {v}\n" for k, v in sorted(table.items())))
    s = run("--stage", "2")
    assert s["extracted"] == {"mini_en_train"} and s["statistics"] == {"mini_en"}
    assert s["trained"]

    # the normalisation conf: only the corpus whose fitting sets change is refitted
    s = run("--norm-fit-splits", "train")
    assert s["statistics"] == {"mini_de"} and not (s["prepared"] or s["extracted"])
    assert s["trained"]

    # the feature conf: every split extracted again, statistics, training
    s = run("--norm-fit-splits", "train", "--feat-opts", "num_bins=20")
    assert s["extracted"] == first["extracted"] and s["statistics"] == set(CORPORA)
    assert s["trained"] and not s["prepared"]

    # the training conf under the same tag: refused before any job, nothing redone
    s = run("--norm-fit-splits", "train", "--feat-opts", "num_bins=20",
            "--shared-args", "train.epochs=2 train.batch_size=8", ok=False)
    assert "trained with another config" in s["out"] and nothing(s)

    # decoding alone refuses trials trained before their data changed
    edit_label(corpora / "mini_en", "dev", "arousal", "2.0")
    s = run("--norm-fit-splits", "train", "--feat-opts", "num_bins=20", "--stop-stage", "3")
    assert s["refreshed"] == {"mini_en_dev"}
    s = run("--norm-fit-splits", "train", "--feat-opts", "num_bins=20", "--stage", "5", ok=False)
    assert "changed since these trials were trained: run stage 4" in s["out"]
