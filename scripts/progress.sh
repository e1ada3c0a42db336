# Progress lines for the set-up scripts (sourced): a person watching sees what runs and how long it took.
#   step NAME "what" command args...   prints "NAME: what ..." then "NAME: what: done in N s" (or FAILED, and fails)
step() {
  local name="$1" what="$2" t0=$SECONDS
  shift 2
  echo "$name: $what ..."
  if ! "$@"; then
    echo "$name: $what: FAILED after $((SECONDS - t0)) s" >&2
    return 1
  fi
  echo "$name: $what: done in $((SECONDS - t0)) s"
}

# dotnet build with one line per finished project (minimal verbosity; a live view on a terminal) instead of minutes
# of silence (-v q printed nothing until the end).
build_solution() {
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet build MatchService.sln -c Release -nologo -v minimal
}
