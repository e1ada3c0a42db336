#!/usr/bin/env bash
# CompareWithConfidence under closed-loop load at 1, 8 and 32 concurrent clients on the default models: calls per
# second, p50/p99 latency, and where the server's time goes (decode, detect, landmarks, embed, method; from the
# match-stage-ms trailer). Images: face-api's demo photos sample1-6.jpg (each call compares two of them).
#   bash tests/bench/face-rpcs.sh [seconds per level, default 15]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
seconds="${1:-15}"
bash scripts/setup.sh >/dev/null
bash scripts/forge-models.sh >/dev/null
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/MatchService.Server -c Release -nologo -v q >/dev/null
dotnet build src/MatchService.Cli -c Release -nologo -v q >/dev/null
work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/images"
cp .cache/npm/face-api-1.7.15/package/demo/sample{1,2,3,4,5,6}.jpg "$work/images/"

port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
dotnet src/MatchService.Server/bin/Release/net10.0/MatchService.Server.dll --Match:Port="$port" --Match:Metrics:Port=-1 \
  --Pipeline:ModelsPath="$root/models" --Faces:CalibrationPath="$root/models/face_recognition/calibration.json" >"$work/server.log" 2>&1 &
server_pid=$!
matchctl=(dotnet "$root/src/MatchService.Cli/bin/Release/net10.0/matchctl.dll")
for _ in $(seq 1 120); do
  if "${matchctl[@]}" health --address "http://127.0.0.1:$port" >/dev/null 2>&1; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 1
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for c in 1 8 32; do
  "${matchctl[@]}" bench --rpc compare --images "$work/images" --address "http://127.0.0.1:$port" \
    -c "$c" -d "$seconds" --warmup 1 --timeout 120 || echo "(some calls failed at $c callers; see the errors above)"
done
