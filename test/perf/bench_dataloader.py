"""serda's training epoch vs the usual per-sample Dataset + DataLoader loop.

The usual way (how peer toolkits and most published SER code train): a
``torch.utils.data.Dataset`` whose ``__getitem__`` returns one utterance's
feature vector and label, a ``DataLoader`` (shuffle, the same batch size,
default collation, no workers) for the source set and one for the target
set, and a plain PyTorch model (nn.Linear, nn.BatchNorm1d, nn.ReLU,
nn.Dropout, a gradient reversal layer, torch.optim.Adam with its defaults,
clip_grad_norm_, max-norm by torch.renorm) of the same shape as serda's.

Timed in one process, one epoch each (median of 3 rounds that run the four
in turn), same data, threads and batch size:

1. the usual loop with the plain model, features held in memory;
2. the same with each item's features read from its ark through its scp
   entry (kaldiio.load_mat, page cache warm), as ESPnet-style datasets do;
3. the usual loop (features in memory) driving serda's model and update
   (OneModel.update), to split the gain between the data path and the step;
4. serda's epoch (serda.train.loop.TrainingLoop.epoch_updates: batches are
   index slices of one in-memory matrix; updates through OneModel).

Networks: paper 1's DANN (6,373 -> 256, heads 2 x 256, dropout 0.2 / 0.5,
batch 256 + 256) and paper 3's MLP (GeMAPS 62 -> 256, source only, batch 64).
"""
import statistics
import tempfile
import time
from pathlib import Path

import kaldiio
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from serda.config import load_config
from serda.losses.grl import grad_reverse
from serda.methods import build_method
from serda.methods.base import Batch
from serda.train.data import SetTensors, TrainingData
from serda.train.loop import Member, TrainingLoop
from serda.train.one_model import OneModel

NETWORKS = {
    "paper 1 DANN, 6373 -> 256, batch 256 + 256": dict(
        dim=6373, rows=8192, batch=256, dann=True, overrides=[
            "method=dann", "model.*.hidden=256", "model.*.max_norm=4.0", "model.encoder.layers=1",
            "model.encoder.dropout_in=0.2", "adapt.grl.schedule=constant", "train.batch_size=256"]),
    "paper 3 MLP, 62 -> 256, batch 64": dict(
        dim=62, rows=8192, batch=64, dann=False, overrides=[
            "method=source_only", "model.*.hidden=256", "model.encoder.layers=1",
            "model.encoder.dropout_in=0.0", "model.encoder.dropout=0.0",
            "model.encoder.max_norm=0.0", "model.task_head.layers=0", "train.batch_size=64"]),
}


class Utterances(Dataset):
    """One utterance per item: (feature vector, label), from memory."""

    def __init__(self, x, y):
        self.x, self.y = x.numpy(), y.numpy()

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return torch.from_numpy(self.x[i]), torch.tensor(self.y[i])


class ArkUtterances(Utterances):
    """One utterance per item, its features read from the ark through its
    scp entry (kaldiio.load_mat), as ESPnet-style datasets read them."""

    def __init__(self, x, y, directory):
        super().__init__(x, y)
        path = Path(directory)
        path.mkdir(parents=True)
        with kaldiio.WriteHelper(f"ark,scp:{path}/feats.ark,{path}/feats.scp") as writer:
            for i, row in enumerate(self.x):
                writer(f"u{i:07d}", row)
        self.entries = [line.split()[1] for line in (path / "feats.scp").read_text().splitlines()]

    def __getitem__(self, i):
        return torch.tensor(kaldiio.load_mat(self.entries[i])), torch.tensor(self.y[i])


def mlp(dims, p_in, p, out):
    layers = [nn.Dropout(p_in)] if p_in else []
    for a, b in zip(dims[:-1], dims[1:]):
        layers += [nn.Linear(a, b), nn.BatchNorm1d(b), nn.ReLU()] + ([nn.Dropout(p)] if p else [])
    return nn.Sequential(*layers, nn.Linear(dims[-1], out)) if out else nn.Sequential(*layers)


class PlainDANN(nn.Module):
    def __init__(self, dim, dann):
        super().__init__()
        if dann:
            self.encoder = mlp([dim, 256], 0.2, 0.5, None)
            self.task = mlp([256, 256, 256], 0.0, 0.5, 1)
            self.domain = mlp([256, 256, 256], 0.0, 0.5, 2)
        else:
            self.encoder = mlp([dim, 256], 0.0, 0.0, None)
            self.task = nn.Linear(256, 1)
            self.domain = None

    def loss(self, xs, ys, xt):
        if self.domain is None:
            return nn.functional.mse_loss(self.task(self.encoder(xs)).squeeze(1), ys)
        z = self.encoder(torch.cat([xs, xt]))
        n = xs.shape[0]
        task = nn.functional.mse_loss(self.task(z[:n]).squeeze(1), ys)
        logits = self.domain(grad_reverse(z, 1.0))
        d = torch.cat([torch.zeros(n, dtype=torch.long), torch.ones(xt.shape[0], dtype=torch.long)])
        return task + nn.functional.cross_entropy(logits[:n], d[:n]) + \
            nn.functional.cross_entropy(logits[n:], d[n:])


def usual_epoch(loaders, step):
    source, target = loaders
    it = iter(target) if target is not None else None
    for xs, ys in source:
        xt = next(it)[0] if it is not None else None
        step(xs, ys.float(), xt)


def plain_step(model, dann):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)] if dann else []

    def step(xs, ys, xt):
        opt.zero_grad()
        model.loss(xs, ys, xt).backward()
        nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        opt.step()
        with torch.no_grad():
            for m in linears:
                m.weight.copy_(torch.renorm(m.weight, 2, 0, 4.0))
    return step


def main():
    print(f"{torch.get_num_threads()} thread(s); one epoch, median of 3 rounds, the four runs in turn in each")
    for name, n in NETWORKS.items():
        g = torch.Generator().manual_seed(0)
        x = torch.randn(n["rows"], n["dim"], generator=g)
        y = x[:, 0] - x[:, 1]
        xt = torch.randn(n["rows"], n["dim"], generator=g) + 0.5
        cfg = load_config(None, n["overrides"])
        torch.manual_seed(1)
        method = build_method(cfg, (n["dim"],), 1)
        method.scheduled.update({k: 1.0 for k in method.scheduled})
        engine = OneModel(method, cfg)
        def loaders(make):
            src = DataLoader(make(x, y, "s"), batch_size=n["batch"], shuffle=True, drop_last=True)
            tgt = DataLoader(make(xt, torch.zeros(len(xt)), "t"), batch_size=n["batch"],
                             shuffle=True, drop_last=True) if n["dann"] else None
            return src, tgt
        plain = PlainDANN(n["dim"], n["dann"])
        plain.train()
        method.train()
        serda_step = lambda xs, ys, xt: engine.update(0, Batch(xs, ys, xt))  # noqa: E731
        sets = SetTensors("src", [str(i) for i in range(len(x))], x, y, torch.arange(len(x)))
        tsets = SetTensors("tgt", [str(i) for i in range(len(xt))], xt, None, torch.arange(len(xt)))
        data = TrainingData(sets, target=tsets if n["dann"] else None)
        with tempfile.TemporaryDirectory() as tmp:
            loop = TrainingLoop(engine, cfg, [Member(1, data, Path(tmp) / "t")], Path(tmp) / "c.pt",
                                True, progress=False)
            memory = loaders(lambda a, b, tag: Utterances(a, b))
            arks = loaders(lambda a, b, tag: ArkUtterances(a, b, Path(tmp) / tag))
            runs = {"usual loop, plain PyTorch model": lambda: usual_epoch(
                        memory, plain_step(plain, n["dann"])),
                    "same, features read per utterance": lambda: usual_epoch(
                        arks, plain_step(plain, n["dann"])),
                    "usual loop, serda's model and update": lambda: usual_epoch(memory, serda_step),
                    "serda's epoch": lambda: [None for _ in loop.epoch_updates(
                        {k: [] for k in engine.schedules()})]}
            for run in runs.values():
                run()   # warm-up
            samples = {label: [] for label in runs}
            for _ in range(3):   # the four in turn in each round: a drifting machine slows all
                for label, run in runs.items():
                    start = time.perf_counter()
                    run()
                    samples[label].append(time.perf_counter() - start)
            times = {label: statistics.median(v) for label, v in samples.items()}
        rows = n["rows"] * (2 if n["dann"] else 1)
        print(name)
        for label, t in times.items():
            print(f"  {label:38s} {t:7.3f} s  {rows / t:9.0f} samples/s")
        usual, usual_ark, usual_serda, ours = times.values()
        print(f"  speed-up serda / usual: {usual / ours:.2f} (features from memory), "
              f"{usual_ark / ours:.2f} (read per utterance); "
              f"data path alone, same model and update: {usual_serda / ours:.2f}")

if __name__ == "__main__":
    main()
