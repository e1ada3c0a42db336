#!/usr/bin/env bash
# Builds and starts MatchService with the default models on 127.0.0.1:50051 (gRPC, h2c) and 127.0.0.1:9464 (/metrics).
# Installs what is missing first (scripts/setup.sh). Extra arguments go to the server (see --help).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/progress.sh
bash scripts/setup.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
step build "dotnet build MatchService.sln -c Release (the first build restores NuGet packages: minutes)" build_solution
if [ -f scripts/forge-models.sh ]; then step forge "default models into models/ (scripts/forge-models.sh)" bash scripts/forge-models.sh; fi
echo "serve: starting; the models warm up first, then the log says 'Ready: gRPC on … accepts calls'. Then, in another terminal: matchctl health"
exec dotnet src/MatchService.Server/bin/Release/net10.0/MatchService.Server.dll --Pipeline:ModelsPath="$root/models" "$@"
