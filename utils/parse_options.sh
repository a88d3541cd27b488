# Parses command-line options into shell variables, as Kaldi recipes expect.
# Source it after declaring every option's default:
#
#   stage=0; stop_stage=100; nj=4; use_gpu=false
#   . utils/parse_options.sh
#
# '--stop-stage 5' or '--stop-stage=5' sets stop_stage=5. An option with no
# variable of that name is refused ("undeclared option"). A variable whose
# default is true/false only takes true/false. '--config FILE' sources FILE
# (lines like 'nj=8'; comments and blank lines allowed) before the remaining
# options; a line that sets no declared option is refused with its line number. '--help' prints
# $help_message. Parsing stops at the first argument not starting with '--'
# or at '--'; the rest stay in "$@".
#
# A recipe's run.sh that hands the options it does not know to the driver
# sets 'pass_options=()' before sourcing this file: undeclared options then
# go, with their values, into that array (./serda.sh "${pass_options[@]}"
# refuses any it does not know either). '--help' prints $help_message and
# then the driver's help.

__po_die() { echo "$0: $*" >&2; exit 1; }

while true; do
  [ $# -eq 0 ] && break
  case "$1" in
    --) shift; break ;;
    --help|-h)
      if [ -n "${help_message:-}" ]; then printf '%s\n' "$help_message"; else echo "$0: no help available"; fi
      if declare -p pass_options >/dev/null 2>&1 && [ -x ./serda.sh ]; then echo; ./serda.sh --help; fi
      exit 0 ;;
    --*=*)
      __po_name=${1%%=*}; __po_value=${1#*=}; shift ;;
    --*)
      [ $# -ge 2 ] || __po_die "option '$1' needs a value"
      __po_name=$1; __po_value=$2; shift 2 ;;
    *) break ;;
  esac
  __po_var=${__po_name#--}
  __po_var=${__po_var//-/_}
  case "$__po_var" in
    ''|[0-9]*|*[!A-Za-z0-9_]*) __po_die "malformed option '$__po_name'" ;;
  esac
  if [ "$__po_var" = config ]; then
    [ -r "$__po_value" ] || __po_die "cannot read config file '$__po_value'"
    # every assignment in it must set a declared option (a typo must not pass)
    __po_line=0
    while IFS= read -r __po_text || [ -n "$__po_text" ]; do
      __po_line=$((__po_line + 1))
      [[ $__po_text =~ ^[[:space:]]*(#.*)?$ ]] && continue
      if [[ $__po_text =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)= ]]; then
        eval "__po_declared=\${${BASH_REMATCH[1]}+set}"
        [ "$__po_declared" = set ] || \
          __po_die "$__po_value:$__po_line: '${BASH_REMATCH[1]}' is not an option of $0"
      else
        __po_die "$__po_value:$__po_line: expected name=value, got '$__po_text'"
      fi
    done < "$__po_value"
    # shellcheck disable=SC1090
    . "$__po_value"
    continue
  fi
  eval "__po_declared=\${$__po_var+set}"
  if [ "$__po_declared" != set ] && declare -p pass_options >/dev/null 2>&1; then
    pass_options+=("$__po_name" "$__po_value")
    continue
  fi
  [ "$__po_declared" = set ] || __po_die "undeclared option '$__po_name' (no variable '$__po_var' has a default)"
  eval "__po_old=\$$__po_var"
  if [ "$__po_old" = true ] || [ "$__po_old" = false ]; then
    [ "$__po_value" = true ] || [ "$__po_value" = false ] || \
      __po_die "option '$__po_name' takes true or false, not '$__po_value'"
  fi
  printf -v "$__po_var" '%s' "$__po_value"
done
unset __po_name __po_value __po_var __po_declared __po_old __po_line __po_text
true
