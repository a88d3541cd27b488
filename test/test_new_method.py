"""A new method is one file plus one conf: nothing else is edited.

A temporary copy of the repository gets serda/methods/mean_match.py (its
own settings, an ``adapt`` weight) and a recipe conf; the driver then
trains, decodes and reports it next to source_only on tiny feature sets
(stages 4-6), with the copy first on PYTHONPATH.
"""
import shutil
import subprocess
import textwrap

import yaml

from conftest import REPO, run_env
from test_training import feature_dir
from serda.data.features import compute_corpus_stats

METHOD = '''
"""Mean matching: L = L_task + w ||mean(z_s) - mean(z_t)||^2 on the encoder outputs."""
from dataclasses import dataclass

from serda.methods import register
from serda.methods.base import Method, Step
from serda.settings import setting


@dataclass
class MeanMatchAdapt:
    match_weight: float = setting(1.0, at_least=0.0)


@register("mean_match")
class MeanMatch(Method):
    Adapt = MeanMatchAdapt
    uses_target = True

    def steps(self):
        return [Step("main", self.parts, self.losses)]

    def losses(self, batch):
        zs, zt = self.encoder(batch.xs), self.encoder(batch.xt)
        gap = (zs.mean(0) - zt.mean(0)).pow(2).sum()
        return {"task": self.task_loss(self._task(self.task_head, zs), batch.ys),
                "match": self.cfg.adapt.match_weight * gap}
'''


def test_a_new_method_file_and_conf_train_decode_and_report(tmp_path):
    copy = tmp_path / "repo"
    for part in ("serda", "utils", "egs/TEMPLATE", "egs/mini_en2de/dann"):
        shutil.copytree(REPO / part, copy / part, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "data", "dump", "exp",
                                                      "downloads"))
    shutil.copy(REPO / "egs/db.sh", copy / "egs/db.sh")
    (copy / "tools").mkdir()
    (copy / "tools/venv").symlink_to(REPO / "tools/venv")
    (copy / "serda/methods/mean_match.py").write_text(METHOD)
    recipe = copy / "egs/mini_en2de/dann"
    (recipe / "conf/mean_match.yaml").write_text(textwrap.dedent("""\
        method: mean_match
        model: {'*': {hidden: 16}}
        adapt: {match_weight: 0.5}
        train: {epochs: 3, batch_size: 16, trials: 2, select: source_dev}
        """))
    dump = tmp_path / "dump" / "is13"
    sets = {}
    for name, (n, seed, shift, labels) in {
            "mini_en_train": (60, 0, 0.0, True), "mini_en_dev": (20, 1, 0.0, True),
            "mini_de_test": (20, 2, 1.0, True), "mini_de_unlab": (40, 3, 1.0, False)}.items():
        sets[name] = feature_dir(dump / name, n, seed, shift, labels)
    compute_corpus_stats([sets["mini_en_train"]], [sets["mini_en_train"], sets["mini_en_dev"]])
    compute_corpus_stats([sets["mini_de_unlab"]], [sets["mini_de_test"], sets["mini_de_unlab"]])
    env = run_env()
    env.update(PYTHONPATH=str(copy), MINI_EN=str(tmp_path / "x"), MINI_DE=str(tmp_path / "y"))
    r = subprocess.run(["./run.sh", "--stage", "4", "--dumpdir", str(tmp_path / "dump"),
                        "--expdir", str(tmp_path / "exp"), "--tag", "new",
                        "--systems", "conf/src.yaml conf/mean_match.yaml",
                        "--shared-args", "train.epochs=3 train.trials=2 train.batch_size=16"],
                       cwd=recipe, capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    exp = tmp_path / "exp" / "new"
    resolved = yaml.safe_load((exp / "mean_match" / "config.yaml").read_text())
    assert resolved["method"] == "mean_match" and resolved["adapt"] == {"match_weight": 0.5}
    history = (exp / "mean_match" / "trial2" / "metrics.jsonl").read_text()
    assert '"main/match"' in history
    assert "| mean_match | mean_match | source |" in (exp / "RESULTS.md").read_text()
    assert (exp / "mean_match/trial1/decode_mini_de_test/metrics.json").is_file()
    assert (exp / "run.sh").read_text().startswith("#!/usr/bin/env bash")
    # nothing outside the new file and conf was touched
    assert not (REPO / "serda/methods/mean_match.py").exists()
    for part in ("serda/config.py", "serda/methods/__init__.py", "test/test_methods.py"):
        if (copy / part).exists():
            assert (copy / part).read_bytes() == (REPO / part).read_bytes()
