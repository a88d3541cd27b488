"""Generate a synthetic emotional corpus (recipe stage 0).

python -m serda.bin.simulate_corpus --preset mini_en --out downloads/mini_en [--nj 2]
"""
import argparse
import sys
import time

from tqdm import tqdm

from serda.cli import run_cli
from serda.simulate.corpus import plan_corpus, write_corpus
from serda.simulate.presets import PRESETS, get_preset


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--preset", required=True, choices=sorted(PRESETS))
    p.add_argument("--out", required=True, help="corpus root to write")
    p.add_argument("--nj", type=int, default=1, help="parallel worker processes")
    p.add_argument("--seed", type=int, help="override the preset's seed")
    p.add_argument("--utts-per-speaker", type=int, help="labelled utterances per speaker")
    p.add_argument("--unlab-per-speaker", type=int, help="pool utterances per pool speaker")
    args = p.parse_args(argv)
    overrides = {k: v for k, v in (("seed", args.seed),
                                   ("utts_per_speaker", args.utts_per_speaker),
                                   ("unlab_per_speaker", args.unlab_per_speaker))
                 if v is not None}
    spec = get_preset(args.preset, **overrides)
    start = time.time()
    bar = tqdm(total=len(plan_corpus(spec)), desc=f"synthesising {spec.name}",
               unit="utt", mininterval=2.0, file=sys.stderr)
    n_lab, n_unlab = write_corpus(spec, args.out, nj=args.nj, progress=lambda: bar.update())
    bar.close()
    print(f"simulate_corpus: {spec.name} in {args.out}: {n_lab} labelled + "
          f"{n_unlab} unlabelled utterances ({time.time() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
