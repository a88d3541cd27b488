# Sourced by every recipe's run.sh: serda's venv, the C locale, and the
# recipe's utils/ on PATH. Recipes link to this file.
SERDA_ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
export SERDA_ROOT
if [ -f "$SERDA_ROOT/tools/venv/bin/activate" ]; then
  # shellcheck disable=SC1091
  . "$SERDA_ROOT/tools/venv/bin/activate"
else
  echo "path.sh: $SERDA_ROOT/tools/venv is missing; run $SERDA_ROOT/tools/install.sh" >&2
  return 1 2>/dev/null || exit 1
fi
export LC_ALL=C
export PYTHONUNBUFFERED=1
export PATH=$PWD/utils:$PATH
