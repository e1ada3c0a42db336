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
source scripts/local-server.sh

# 1. The dataset: faces of samples 1-3 as found by the service's own detector.
dataset=.cache/face-calibration-dataset
rm -rf "$dataset"
MATCH_WRITE_FACE_DATASET="$root/$dataset" dotnet test tests/MatchService.EndToEnd.Tests -c Release -nologo -v q \
  --filter "FullyQualifiedName~ShippedRampsLieInsideTheGapFittedOnSamples1To3" >/dev/null
echo "dataset: $(find "$dataset" -name '*.jpg' | wc -l) images of $(ls "$dataset" | wc -l) identities in $dataset"

# 2. A server on a free port, uncalibrated (matchctl calibrate reads X, Y and quality through CompareWithConfidence).
start_local_server --Faces:CalibrationPath="$work/none.json"

# 3. The fit and the data model; the file records this command line.
"${matchctl[@]}" calibrate "$dataset" --model face_recognition --seed 1 \
  --output models/face_recognition/calibration.json --address "http://127.0.0.1:$port" --timeout 120 \
  --note "bash scripts/make-face-calibration.sh: faces of face-api 1.7.15 demo sample1-3.jpg with their changes"
