#!/usr/bin/env bash
# Builds the shipped calibration of the face embedder, models/face_recognition/calibration.json (A, B for
# CompareWithConfidence and Verify's data model), with `matchctl calibrate` against a running server, from the faces
# of face-api 1.7.15's demo photos sample1-3.jpg: every face the detector finds, cut 2.5x its box with other faces
# greyed, plus its real changes (shifted/rescaled crop, +-20 % brightness, mirror, JPEG quality 40, half size), one
# identity per face (DIR/sample<n>-face<i>/*.jpg, written by the EndToEnd tests' CalibratedFaceServer fixture).
# Samples 4-6 stay held out for the tests. Deterministic: the same faces and seed give the same file (bar `created`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/forge-models.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# 1. The dataset: faces of samples 1-3 as found by the service's own detector.
dataset=.cache/face-calibration-dataset
rm -rf "$dataset"
MATCH_WRITE_FACE_DATASET="$root/$dataset" dotnet test tests/MatchService.EndToEnd.Tests -c Release -nologo -v q \
  --filter "FullyQualifiedName~ShippedRampsLieInsideTheGapFittedOnSamples1To3" >/dev/null
echo "dataset: $(find "$dataset" -name '*.jpg' | wc -l) images of $(ls "$dataset" | wc -l) identities in $dataset"

# 2. A server on a free port, uncalibrated (matchctl calibrate reads X, Y and quality through CompareWithConfidence).
dotnet build src/MatchService.Server -c Release -nologo -v q >/dev/null
dotnet build src/MatchService.Cli -c Release -nologo -v q >/dev/null
port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
dotnet src/MatchService.Server/bin/Release/net10.0/MatchService.Server.dll --Match:Port="$port" --Match:Metrics:Port=-1 \
  --Pipeline:ModelsPath="$root/models" --Faces:CalibrationPath="$work/none.json" >"$work/server.log" 2>&1 &
server_pid=$!
matchctl=(dotnet "$root/src/MatchService.Cli/bin/Release/net10.0/matchctl.dll")
for _ in $(seq 1 120); do
  if "${matchctl[@]}" health --address "http://127.0.0.1:$port" >/dev/null 2>&1; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 1
done

# 3. The fit and the data model; the file records this command line.
"${matchctl[@]}" calibrate "$dataset" --model face_recognition --seed 1 \
  --output models/face_recognition/calibration.json --address "http://127.0.0.1:$port" --timeout 120 \
  --note "bash scripts/make-face-calibration.sh: faces of face-api 1.7.15 demo sample1-3.jpg with their changes"
