"""Load a trained trial: its config, summary and model in eval mode."""
from serda import layout
from serda.config import load_config
from serda.errors import InputError, SerdaError
from serda.methods import build_method
from serda.train.checkpoint import load_checkpoint


def trial_range(spec):
    """[a, ..., b] of a trial range "a:b" (or "a")."""
    first, _, last = str(spec).partition(":")
    try:
        trials = list(range(int(first), int(last or first) + 1))
    except ValueError:
        raise SerdaError(f"trial range '{spec}': expected a:b with integers a <= b") from None
    if not trials or trials[0] < 1:
        raise SerdaError(f"trial range '{spec}': expected a:b with 1 <= a <= b")
    return trials


def add_trial_arguments(parser, trials_help):
    """``--trial K`` or ``--trials a:b`` (exactly one) on ``parser``."""
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--trial", type=int)
    group.add_argument("--trials", help=trials_help)


def chosen_trials(args):
    """The trial numbers of parsed ``--trial`` / ``--trials``."""
    return trial_range(args.trials) if args.trials else [args.trial]


def load_trained(config_path, trial, device="cpu"):
    """(cfg, summary dict, method in eval mode) of ``trial<k>`` next to the
    resolved ``config_path`` (exp/<tag>/<system>/config.yaml)."""
    cfg = load_config(config_path)
    system = layout.system_of(config_path)
    if not layout.is_trained(system, trial):
        raise InputError(layout.trial_dir(system, trial), "not trained (run stage 4)")
    summary = layout.read_summary(system, trial)
    sizes = {a: len(v) for a, v in summary.get("domains", {}).items()}
    method = build_method(cfg, summary["input_shape"], summary["n_classes"], sizes).to(device)
    state = load_checkpoint(layout.trial_dir(system, trial) / layout.MODEL)["method"]
    method.load_trained_state(state)
    method.eval()
    return cfg, summary, method
