#!/usr/bin/env bash
# Builds the shipped calibration of the face embedder, models/face_recognition/calibration.json (A, B for
# CompareWithConfidence and Verify's data model), from the faces of face-api 1.7.15's demo photos sample1-3.jpg:
# every face the detector finds, cut 2.5x its box with other faces greyed, plus 6 real changes each (shifted/rescaled
# crop, +-20 % brightness, mirror, JPEG quality 40, half size), one identity per face. Embedding runs in-process on the
# real server host (tests/MatchService.EndToEnd.Tests, CalibratedFaceServer); samples 4-6 stay held out for the tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/forge-models.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
MATCH_WRITE_CALIBRATION="$root/models/face_recognition/calibration.json" \
  dotnet test tests/MatchService.EndToEnd.Tests -nologo --filter "FullyQualifiedName~HeldOutPairsAreDecidedCorrectly"
echo "wrote models/face_recognition/calibration.json"
