"""Matplotlib set-up shared by the figure tools (headless, PNG files)."""
from pathlib import Path


def pyplot():
    """matplotlib.pyplot with the non-interactive Agg backend."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save_figure(fig, out):
    """Lay out ``fig``, write it to ``out`` (parents made) and close it."""
    fig.tight_layout()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    pyplot().close(fig)
