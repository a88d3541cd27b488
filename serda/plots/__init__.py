"""Matplotlib set-up shared by the figure tools (headless, PNG files)."""
import textwrap
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


def wrapped(text, width_inches, fontsize):
    """``text`` broken into lines that fit ``width_inches`` at ``fontsize``
    points (an average character is about 0.55 of the font size wide)."""
    chars = max(20, int(width_inches * 72 / (0.55 * fontsize)))
    return textwrap.fill(text, chars)


def suptitle(fig, text, fontsize=11):
    """A figure title wrapped to the figure's width (never cut at the edges)."""
    fig.suptitle(wrapped(text, fig.get_figwidth() * 0.95, fontsize), fontsize=fontsize)
