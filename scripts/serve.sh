#!/usr/bin/env bash
# Builds and starts MatchService with the default models on 127.0.0.1:50051 (gRPC, h2c) and 127.0.0.1:9464 (/metrics).
# Installs what is missing first (scripts/setup.sh). Extra arguments go to the server (see --help).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build MatchService.sln -c Release -nologo -v q
if [ -f scripts/forge-models.sh ]; then bash scripts/forge-models.sh; fi
exec dotnet src/MatchService.Server/bin/Release/net10.0/MatchService.Server.dll --Pipeline:ModelsPath="$root/models" "$@"
