#!/usr/bin/env bash
# Builds the shipped calibration of the face embedder, models/face_recognition/calibration.json (A, B for
# CompareWithConfidence and Verify's data model), with `matchctl calibrate` against a running server, from the faces
# of face-api 1.7.15's demo photos sample1-3.jpg: every face the detector finds, cut 2.5x its box with other faces
# greyed, plus its real changes (shifted/rescaled crop, +-20 % brightness, mirror, JPEG quality 40, half size), one
# identity per face (DIR/sample<n>-face<i>/*.jpg, written by the EndToEnd tests' CalibratedFaceServer fixture).
# Samples 4-6 stay held out for the tests. Deterministic: the same faces and seed give the same file (bar `created`).
#   bash scripts/make-face-calibration.sh                  the default embedder: models/face_recognition/calibration.json
#   bash scripts/make-face-calibration.sh float            dlib's net in float (served in place of the int8 default):
#                                                          models-alternatives/face_recognition_float/calibration.json
#   bash scripts/make-face-calibration.sh mobilefacenet    the alternative: models-alternatives/face_recognition_mobilefacenet/calibration.json
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
model=face_recognition
output=models/face_recognition/calibration.json
server_args=()
if [ "${1:-}" = mobilefacenet ]; then
  # The alternative embedder in place of dlib's (unit-length output: the descriptor-length check does not apply).
  model=face_recognition_mobilefacenet
  output="models-alternatives/$model/calibration.json"
  mkdir -p "$work/models"
  for m in face_detector face_detector_fallback face_landmarks; do ln -s "$root/models/$m" "$work/models/$m"; done
  ln -s "$root/models-alternatives/$model" "$work/models/$model"
  server_args=(--Pipeline:ModelsPath="$work/models" --Faces:MinDescriptorLength=0)
fi
if [ "${1:-}" = float ]; then
  # The float net under the served name, so that its calibration can replace the default's with the folder.
  output=models-alternatives/face_recognition_float/calibration.json
  mkdir -p "$work/models"
  for m in face_detector face_detector_fallback face_landmarks; do ln -s "$root/models/$m" "$work/models/$m"; done
  ln -s "$root/models-alternatives/face_recognition_float" "$work/models/face_recognition"
  server_args=(--Pipeline:ModelsPath="$work/models")
fi
start_local_server --Faces:CalibrationPath="$work/none.json" "${server_args[@]}"

# 3. The fit and the data model; the file records this command line.
"${matchctl[@]}" calibrate "$dataset" --model "$model" --seed 1 \
  --output "$output" --address "http://127.0.0.1:$port" --timeout 120 \
  --note "bash scripts/make-face-calibration.sh: faces of face-api 1.7.15 demo sample1-3.jpg with their changes"
