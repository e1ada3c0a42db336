# Sourced by scripts that need a MatchService of their own (calibration, benchmarks):
#   source scripts/local-server.sh; start_local_server [extra server settings...]
# Builds the server and matchctl (Release), starts the server on a free loopback port with the repository's models
# and no metrics listener, waits until health answers SERVING, and stops it when the calling script exits.
# Sets: port, server_pid, matchctl (an array: "${matchctl[@]}" health ...), work (a temporary folder, removed on exit).
# Expects: root (the repository) and `set -euo pipefail` in the caller.

work="$(mktemp -d)"
server_pid=""
matchctl=(dotnet "$root/src/MatchService.Cli/bin/Release/net10.0/matchctl.dll")
stop_local_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap stop_local_server EXIT

start_local_server() {
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
  dotnet build "$root/src/MatchService.Server" -c Release -nologo -v q >/dev/null
  dotnet build "$root/src/MatchService.Cli" -c Release -nologo -v q >/dev/null
  port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  dotnet "$root/src/MatchService.Server/bin/Release/net10.0/MatchService.Server.dll" --Match:Port="$port" --Match:Metrics:Port=-1 \
    --Pipeline:ModelsPath="$root/models" "$@" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    if "${matchctl[@]}" health --address "http://127.0.0.1:$port" >/dev/null 2>&1; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; return 1; }
    sleep 1
  done
  echo "local server on port $port did not become SERVING within 120 s" >&2
  cat "$work/server.log" >&2
  return 1
}
