"""The resume checkpoint's interval, and metrics.jsonl as an appended log
rewritten from the checkpoint on resume."""
import json

import pytest
import torch

import serda.train.loop as loop_module
from serda.train.data import load_training_data
from serda.train.loop import TrainingLoop
from serda.train.stacked import StackedModels
from test_batches import UnlabelledProbe, config, members, sets  # noqa: F401 (fixture)

SEEDS = [3, 4]


class Killed(Exception):
    """Stands for SIGKILL at a checkpoint."""


def stacked_loop(cfg, data, root):
    sizes = {a: len(v) for a, v in data.vocab.items()}
    torch.manual_seed(0)
    engine = StackedModels(lambda k: UnlabelledProbe(cfg, data.input_shape, 2, sizes), cfg, SEEDS)
    return TrainingLoop(engine, cfg, members(data, SEEDS, root), root / "last.pt", False,
                        progress=False)


def histories(root):
    return [(root / f"t{s}" / "metrics.jsonl").read_text() for s in SEEDS]


@pytest.mark.parametrize("interval, saved", [(0, [1, 2, 3]), (1e9, [3])])
def test_checkpoint_after_every_epoch_or_only_after_the_last(sets, tmp_path, monkeypatch,
                                                             interval, saved):
    cfg = config(sets, "train.epochs=3", f"train.checkpoint_interval={interval}")
    data = load_training_data(cfg, UnlabelledProbe)
    epochs = []
    real = loop_module.save_checkpoint
    monkeypatch.setattr(loop_module, "save_checkpoint",
                        lambda state, path: (epochs.append(state["epoch"]), real(state, path)))
    stacked_loop(cfg, data, tmp_path).fit()
    assert epochs == saved
    assert all(len(h.splitlines()) == 3 for h in histories(tmp_path))


def test_resume_drops_the_lines_after_the_checkpoint_and_ends_as_an_uninterrupted_run(
        sets, tmp_path, monkeypatch):
    cfg = config(sets, "train.epochs=4", "train.checkpoint_interval=0")
    data = load_training_data(cfg, UnlabelledProbe)
    whole = stacked_loop(cfg, data, tmp_path / "whole").fit()
    real = loop_module.save_checkpoint

    def killed_at_epoch_3(state, path):
        if state["epoch"] == 3:
            raise Killed
        real(state, path)
    monkeypatch.setattr(loop_module, "save_checkpoint", killed_at_epoch_3)
    with pytest.raises(Killed):
        stacked_loop(cfg, data, tmp_path / "killed").fit()
    # epoch 3's lines were appended, the checkpoint holds 2 epochs
    assert [len(h.splitlines()) for h in histories(tmp_path / "killed")] == [3, 3]
    monkeypatch.setattr(loop_module, "save_checkpoint", real)
    loop = stacked_loop(cfg, data, tmp_path / "killed")
    loop.restore(loop_module.load_checkpoint(tmp_path / "killed" / "last.pt"))
    assert loop.epoch == 2
    for log in loop.logs:
        log.start()
    assert [len(h.splitlines()) for h in histories(tmp_path / "killed")] == [2, 2]
    resumed = stacked_loop(cfg, data, tmp_path / "killed").fit()
    assert histories(tmp_path / "killed") == histories(tmp_path / "whole")
    assert resumed == whole
    records = [json.loads(line) for line in histories(tmp_path / "whole")[0].splitlines()]
    assert [r["epoch"] for r in records] == [0, 1, 2, 3]


def test_a_fresh_start_removes_the_lines_of_a_run_killed_before_its_first_checkpoint(
        sets, tmp_path):
    cfg = config(sets, "train.epochs=2")
    data = load_training_data(cfg, UnlabelledProbe)
    for s in SEEDS:
        (tmp_path / f"t{s}").mkdir(parents=True)
        (tmp_path / f"t{s}" / "metrics.jsonl").write_text('{"epoch": 0}\n{"epoch": 1}\n{"ep')
    stacked_loop(cfg, data, tmp_path).fit()
    for h in histories(tmp_path):
        assert [json.loads(line)["epoch"] for line in h.splitlines()] == [0, 1]
