"""What a batch carries: labelled target shots drawn by the trial's seed, domain codes."""
import kaldiio
import numpy as np
import pytest
import torch

from serda.config import load_config
from serda.data.features import compute_corpus_stats
from serda.data.table import read_table, write_table
from serda.methods.base import Method, Step
from serda.train.data import draw_shots, load_training_data
from serda.train.loop import Member, TrainingLoop
from serda.train.one_model import OneModel
from serda.train.stacked import StackedModels


def feature_dir(path, n, seed, corpus, lang, spk_prefix):
    path.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    utts = [f"{spk_prefix}{i % 4}-u{i:03d}" for i in range(n)]
    with kaldiio.WriteHelper(f"ark,scp:{path}/feats.ark,{path}/feats.scp") as w:
        for u in utts:
            w(u, rng.normal(size=6).astype(np.float32))
    write_table(path / "utt2spk", {u: u.split("-")[0] for u in utts})
    write_table(path / "utt2gender", {u: "fm"[int(u[len(spk_prefix)]) % 2] for u in utts})
    write_table(path / "utt2lang", {u: lang for u in utts})
    write_table(path / "utt2arousal", {u: str(1 + (i * 7) % 5) for i, u in enumerate(utts)})
    (path / "attributes.yaml").write_text(f"corpus: {corpus}\nlanguage: {lang}\n"
                                          "attributes:\n  arousal: {scale: [1, 5]}\n")
    compute_corpus_stats([path], [path])
    return path


def members(data, seeds, root, prefix="t"):
    return [Member(s, data, root / f"{prefix}{s}") for s in seeds]


class Probe(Method):
    """A method that uses everything a batch can carry (not registered)."""
    name = "probe"
    uses_target = True
    uses_target_labels = True

    @classmethod
    def domain_attributes(cls, cfg):
        return ("spk", "gender", "lang", "corpus")

    def steps(self):
        return [Step("main", self.parts, self.losses)]

    def losses(self, batch):
        return {"task": self.task_loss(self.predict(batch.xs), batch.ys)
                + self.task_loss(self.predict(batch.xl), batch.yl)}


class UnlabelledProbe(Probe):
    """Unlabelled target rows only."""
    uses_target_labels = False

    def losses(self, batch):
        return {"task": self.task_loss(self.predict(batch.xs), batch.ys)}


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    root = tmp_path_factory.mktemp("batches")
    return {"source_train": feature_dir(root / "src", 40, 0, "en_corpus", "en", "a"),
            "source_dev": feature_dir(root / "dev", 12, 1, "en_corpus", "en", "a"),
            "target_train": feature_dir(root / "tgt", 30, 2, "de_corpus", "de", "b"),
            "target_unlab": feature_dir(root / "unl", 20, 3, "de_corpus", "de", "c")}


def config(sets, *extra):
    return load_config(None, ["task.type=classification", "task.label_map=binarize",
                              "task.label_args={threshold: 2.5}", "data.norm=zscore",
                              "train.batch_size=8", "model.*.hidden=4", *extra]
                       + [f"data.{k}={v}" for k, v in sets.items()])


def test_shots_are_k_per_class_the_same_for_a_seed_and_new_for_another():
    y = np.array([0] * 10 + [1] * 6)
    a, again, other = draw_shots(y, 2, False, 7), draw_shots(y, 2, False, 7), draw_shots(y, 2, False, 8)
    assert a == again and a != other
    assert sorted(y[a].tolist()) == [0, 0, 1, 1] and len(set(a)) == 4
    assert len(draw_shots(y.astype(float), 3, True, 1)) == 3           # regression: k in all
    with pytest.raises(Exception, match="6 utterance"):
        draw_shots(y, 7, False, 1)


def test_batches_carry_the_trial_s_shots_and_the_data_dirs_domain_codes(sets, tmp_path):
    cfg = config(sets, "train.target_shots=2")
    data = load_training_data(cfg, Probe)
    assert set(data.vocab) == {"spk", "gender", "lang", "corpus"}
    assert data.vocab["lang"] == ["de", "en"] and data.vocab["corpus"] == ["de_corpus", "en_corpus"]
    seeds = [5, 6]
    torch.manual_seed(0)
    engine = StackedModels(lambda k: Probe(cfg, data.input_shape, 2,
                                           {a: len(v) for a, v in data.vocab.items()}), cfg, seeds)
    loop = TrainingLoop(engine, cfg, members(data, seeds, tmp_path), tmp_path / "ckpt.pt", False,
                        progress=False)
    pool = data.shot_pool
    for k, seed in enumerate(seeds):   # each trial: 2 per class, its own draw, always the same
        rows = loop.shot_rows[k]
        assert sorted(pool.y[rows].tolist()) == [0, 0, 1, 1]
        assert torch.equal(rows, data.shot_rows(seed, False, 2))
    assert not torch.equal(loop.shot_rows[0], loop.shot_rows[1])
    batch = next(loop.batches())
    assert batch.xs.shape == (2, 8, 6) and batch.xt.shape == (2, 8, 6)
    assert batch.xl.shape == (2, 4, 6) and batch.yl.shape == (2, 4)
    # the codes of the labelled rows are those of the rows' utterances in the data dirs
    utt2spk = read_table(sets["source_train"] / "utt2spk")
    utt2gender = read_table(sets["source_train"] / "utt2gender")
    for t in range(2):
        for i in range(8):
            row = data.labelled.x.tolist().index(batch.xs[t, i].tolist())
            utt = data.labelled.utts[row]
            assert data.vocab["spk"][batch.ds["spk"][t, i]] == utt2spk[utt]
            assert data.vocab["gender"][batch.ds["gender"][t, i]] == utt2gender[utt]
            assert data.vocab["lang"][batch.ds["lang"][t, i]] == "en"
            assert data.vocab["corpus"][batch.ds["corpus"][t, i]] == "en_corpus"
    assert {data.vocab["lang"][c] for c in batch.dt["lang"].flatten().tolist()} == {"de"}
    assert {data.vocab["spk"][c] for c in batch.dt["spk"].flatten().tolist()} <= \
        {f"c{i}" for i in range(4)}
    assert {data.vocab["lang"][c] for c in batch.dl["lang"].flatten().tolist()} == {"de"}


def test_a_probe_with_every_batch_part_trains_alone_and_stacked(sets, tmp_path):
    cfg = config(sets, "train.target_shots=2", "train.epochs=2", "train.select=source_dev")
    data = load_training_data(cfg, Probe)
    sizes = {a: len(v) for a, v in data.vocab.items()}
    torch.manual_seed(3)
    one = TrainingLoop(OneModel(Probe(cfg, data.input_shape, 2, sizes), cfg), cfg,
                       members(data, [3], tmp_path, "one"), tmp_path / "one" / "last.pt", False,
                       progress=False)
    assert one.fit()[0]["epochs"] == 2
    stacked = TrainingLoop(StackedModels(lambda k: Probe(cfg, data.input_shape, 2, sizes), cfg,
                                         [3, 4]), cfg, members(data, [3, 4], tmp_path, "s"),
                           tmp_path / "s.pt", False, progress=False)
    assert [s["seed"] for s in stacked.fit()] == [3, 4]
    assert (tmp_path / "s4" / "metrics.jsonl").read_text().count("\n") == 2


def target_rows_per_epoch(loop, data, epochs=2):
    """Per epoch and trial, the sorted target row indices the batches carried."""
    index = {tuple(row): i for i, row in enumerate(data.target.x.tolist())}
    out = []
    for _ in range(epochs):
        rows = [[] for _ in loop.generators]
        for batch in loop.batches():
            for t in range(batch.xt.shape[0]):
                rows[t] += [index[tuple(r)] for r in batch.xt[t].tolist()]
        out.append([sorted(r) for r in rows])
    return out


@pytest.mark.parametrize("draws", ["per_trial", "per_epoch"])
def test_target_draws_per_trial_are_one_set_per_trial(sets, tmp_path, draws):
    """12 labelled rows, 30 unlabelled: per_trial draws one set of 12 per trial (the
    same every epoch, another for another trial); per_epoch a new one every epoch."""
    small = dict(sets, source_train=sets["source_dev"], target_unlab=sets["target_train"])
    cfg = config(small, f"train.target_draws={draws}", "train.batch_size=4")
    data = load_training_data(cfg, UnlabelledProbe)
    seeds = [5, 6]
    sizes = {a: len(v) for a, v in data.vocab.items()}
    loop = TrainingLoop(StackedModels(lambda k: UnlabelledProbe(cfg, data.input_shape, 2,
                                                                sizes), cfg, seeds),
                        cfg, members(data, seeds, tmp_path), tmp_path / "c.pt", False,
                        progress=False)
    (e1_t1, e1_t2), (e2_t1, e2_t2) = target_rows_per_epoch(loop, data)
    assert len(e1_t1) == 12 and len(set(e1_t1)) == 12      # without replacement
    if draws == "per_trial":
        assert e1_t1 == e2_t1 and e1_t2 == e2_t2 and e1_t1 != e1_t2
    else:
        assert e1_t1 != e2_t1
