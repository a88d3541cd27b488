"""What produced an experiment: serda commit, library versions, command."""
import platform
import shlex
import subprocess
import sys
from importlib import metadata
from pathlib import Path


def git_commit():
    root = Path(__file__).resolve().parents[2]
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "serda"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    commit = out.stdout.strip() or "unknown"
    return commit + (" (with uncommitted changes in serda/)" if dirty else "")


def version(package):
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def provenance_lines(argv=None):
    argv = sys.argv if argv is None else argv
    return [
        f"serda commit: {git_commit()}",
        f"python {platform.python_version()}, torch {version('torch')}, "
        f"numpy {version('numpy')}, opensmile {version('opensmile')}, "
        f"kaldiio {version('kaldiio')}",
        # one comment line: line breaks inside arguments become spaces
        f"command: {shlex.join(' '.join(str(a).splitlines()) for a in argv)}",
    ]
