#!/usr/bin/env bash
# CompareWithConfidence under closed-loop load at 1, 8 and 32 concurrent clients, the old and the new default face path
# in the same run: calls per second, p50/p99 latency, and where the server's time goes (decode, detect, landmarks,
# embed, method; from the match-stage-ms trailer). Images: face-api's demo photos sample1-6.jpg (each call compares two).
#   old: the SSD at 512 alone on every photo, dlib's embedder in float, no second opinion (Faces:LandmarkCheckEnabled=false,
#        MinDescriptorLength=0)
#   new: the repository's models (tiny detector at 416, the SSD only as fallback, dlib's embedder in int8) with the second opinion
#   bash tests/bench/face-rpcs.sh [seconds per level, default 15]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
seconds="${1:-15}"
bash scripts/setup.sh >/dev/null
bash scripts/forge-models.sh >/dev/null
source scripts/local-server.sh
mkdir -p "$work/images" "$work/old-models"
cp .cache/npm/face-api-1.7.15/package/demo/sample{1,2,3,4,5,6}.jpg "$work/images/"
ln -s "$root/models-alternatives/face_detector_ssd512" "$work/old-models/face_detector"
ln -s "$root/models/face_landmarks" "$work/old-models/face_landmarks"
ln -s "$root/models-alternatives/face_recognition_float" "$work/old-models/face_recognition"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
run_levels() {
  for c in 1 8 32; do
    "${matchctl[@]}" bench --rpc compare --images "$work/images" --address "http://127.0.0.1:$port" \
      -c "$c" -d "$seconds" --warmup 1 --timeout 120 || echo "(some calls failed at $c callers; see the errors above)"
  done
}

echo "== old default: SSD 512 on every photo, float embedder, no second opinion"
start_local_server --Faces:CalibrationPath="$root/models-alternatives/face_recognition_float/calibration.json" --Pipeline:ModelsPath="$work/old-models" \
  --Faces:LandmarkCheckEnabled=false --Faces:MinDescriptorLength=0
run_levels
kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
server_pid=""

echo "== new default: tiny detector at 416 (SSD 512 as fallback), int8 embedder, with the second opinion"
start_local_server --Faces:CalibrationPath="$root/models/face_recognition/calibration.json"
run_levels
