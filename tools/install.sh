#!/usr/bin/env bash
# Creates tools/venv and installs serda (editable) with pinned dependencies.
#
#   tools/install.sh            # CPU build of torch 2.13.0 (the tested default)
#   tools/install.sh --cuda     # CUDA build of torch 2.13.0 from PyPI
#   tools/install.sh --python /usr/bin/python3.11
#
# Re-running it when nothing changed is a no-op that takes about a second;
# editing tools/requirements.txt or setup.py makes it update the venv.
set -euo pipefail

cuda=false
python=python3
while [ $# -gt 0 ]; do
  case "$1" in
    --cuda) cuda=true ;;
    --python) python=$2; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "$0: unknown option '$1' (see --help)" >&2; exit 1 ;;
  esac
  shift
done

tools=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(dirname "$tools")
venv=$tools/venv
stamp=$venv/.serda-install-stamp
torch_version=2.13.0
want="$(cat "$tools/requirements.txt" "$top/setup.py" | sha256sum | cut -c1-16) torch=$torch_version cuda=$cuda"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && "$venv/bin/python" -c 'import serda' 2>/dev/null; then
  echo "tools/install.sh: $venv is up to date"
  exit 0
fi

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
pip="$venv/bin/python -m pip --disable-pip-version-check"

if $cuda; then
  # PyPI's Linux wheel of torch is the CUDA build; --isolated ignores any
  # local wheel directories configured for pip on this machine.
  $pip install --isolated "torch==$torch_version"
else
  # On machines that keep a CPU wheel of torch next to pip (as our CI does)
  # this installs that file; elsewhere PyPI serves the wheel for the platform.
  $pip install "torch==$torch_version"
fi
$pip install -r "$tools/requirements.txt"
$pip install --no-build-isolation --no-deps -e "$top"
"$venv/bin/python" -c 'import serda, torch; print("serda", serda.__version__, "torch", torch.__version__)'
echo "$want" > "$stamp"
echo "tools/install.sh: done; activate with '. $venv/bin/activate'"
