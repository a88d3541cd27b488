"""Load a trained trial: its config, summary and model in eval mode."""
import json
from pathlib import Path

from serda.config import load_config
from serda.train.checkpoint import load_checkpoint


def load_trained(config_path, trial, device="cpu"):
    """(cfg, summary dict, method in eval mode) of ``trial<k>`` next to the
    resolved ``config_path`` (exp/<tag>/<system>/config.yaml)."""
    from serda.bin.train import build  # one place builds models

    cfg = load_config(config_path)
    trial_dir = Path(config_path).parent / f"trial{trial}"
    summary = json.loads((trial_dir / "summary.json").read_text())
    method = build(cfg, summary["in_dim"], summary["n_classes"]).to(device)
    method.load_state_dict(load_checkpoint(trial_dir / "model.pt")["method"])
    method.eval()
    return cfg, summary, method
