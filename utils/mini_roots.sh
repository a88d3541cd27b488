#!/usr/bin/env bash
# Sourced by recipes' run.sh: `mini_roots <SUFFIX> <name> ...` exports the db.sh variable of
# each synthetic corpus (NAME in upper case) as ${NAME_<SUFFIX>} when that is set (the tests
# point it at a shared folder), else as the recipe's own downloads/<name>, where stage 0
# synthesises it.
mini_roots() {
  local suffix=$1 name var override
  shift
  for name in "$@"; do
    var=$(echo "$name" | tr '[:lower:]' '[:upper:]')
    override=${var}_$suffix
    export "$var=${!override:-$PWD/downloads/$name}"
  done
}
