"""Predict emotions of new audio with a trained system (or an exported one).

python -m serda.bin.infer --system exp/<tag>/<system> [--trials all | 1 3] \
    (WAV ... | --wav-scp FILE | --dir DIR) [--norm-from target | source | <feature dir>] \
    [--norm-corpus NAME] --out preds.csv

Per file: id, path, prediction, then the mean over the chosen trials of each
class' posterior with its std (classification), or value and value_std
(regression), and an error column: a file that cannot be read, is silent,
too short or gives no frames gets its reason there and no prediction.
Normalisation: the stored statistics of the set the system was scored on
(``target``, default: the target corpus it adapted to), of its source
training set (``source``), or of any feature dir; a set that pools corpora
needs ``--norm-corpus``. An exported folder (serda.bin.export) uses its own.
A cross-validated system is one fold: ``--system exp/<tag>/<system>/fold1``.
"""
import argparse
import sys

from serda.cli import run_cli
from serda.infer import audio_items, infer, parse_trials, write_csv


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("wavs", nargs="*", help="audio files")
    p.add_argument("--system", required=True, help="exp/<tag>/<system> or an exported folder")
    p.add_argument("--trials", nargs="+", default=["all"], help="all, or trial numbers")
    p.add_argument("--wav-scp", help="a Kaldi wav.scp: <id> <path or command |>")
    p.add_argument("--dir", help="every audio file below this folder (.wav .flac .ogg .mp3 ..., "
                                 "any case; other files are listed with their reason)")
    p.add_argument("--norm-from", default="target", help="target | source | <feature dir>")
    p.add_argument("--norm-corpus", help="the corpus whose statistics a pooled set uses")
    p.add_argument("--out", required=True, help="CSV of the predictions")
    p.add_argument("--ssl-model", help="ssl features: the checkpoint dir, when it is not where "
                                       "features.yaml says (its weights must be the same)")
    args = p.parse_args(argv)
    trials = parse_trials(args.trials)
    not_audio = []
    pred = infer(args.system, audio_items(args.wavs, args.wav_scp, args.dir, not_audio), trials,
                 args.norm_from, args.norm_corpus, args.ssl_model)
    pred.failed += not_audio
    write_csv(pred, args.out)
    print(f"infer: {args.out}: {len(pred.ids)} file(s) predicted by trial(s) "
          f"{', '.join(map(str, pred.trials))}" + (f"; {len(pred.failed)} could not be "
                                                   "(see its error column)" if pred.failed
                                                   else ""))
    for utt, path, reason in pred.failed:
        print(f"infer: {utt} ({path}): {reason}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
