"""Matplotlib set-up shared by the figure tools (headless, PNG files)."""
from pathlib import Path


def pyplot():
    """matplotlib.pyplot with the non-interactive Agg backend."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save_figure(fig, out, rect=None):
    """Lay out ``fig`` (inside ``rect``, figure fractions (left, bottom,
    right, top), when given), write it to ``out`` (parents made) and close it."""
    fig.tight_layout(rect=rect)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    pyplot().close(fig)
