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
source scripts/local-server.sh
mkdir -p "$work/images"
cp .cache/npm/face-api-1.7.15/package/demo/sample{1,2,3,4,5,6}.jpg "$work/images/"

start_local_server --Faces:CalibrationPath="$root/models/face_recognition/calibration.json"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for c in 1 8 32; do
  "${matchctl[@]}" bench --rpc compare --images "$work/images" --address "http://127.0.0.1:$port" \
    -c "$c" -d "$seconds" --warmup 1 --timeout 120 || echo "(some calls failed at $c callers; see the errors above)"
done
