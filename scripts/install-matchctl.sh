#!/usr/bin/env bash
# Puts `matchctl` on the PATH: a two-line wrapper in ${MATCH_BIN_DIR:-/usr/local/bin} (or ~/.local/bin when that is
# not writable) that runs this checkout's Release build. Idempotent; called by scripts/setup.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${MATCH_BIN_DIR:-/usr/local/bin}"
if ! { mkdir -p "$bin" && [ -w "$bin" ]; } 2>/dev/null; then bin="$HOME/.local/bin"; mkdir -p "$bin"; fi
dll="$root/src/MatchService.Cli/bin/Release/net10.0/matchctl.dll"
wrapper="#!/bin/sh
# matchctl of $root (written by scripts/install-matchctl.sh)
[ -f '$dll' ] || { echo 'matchctl: not built yet; run: bash $root/scripts/serve.sh (or dotnet build $root/src/MatchService.Cli -c Release)' >&2; exit 1; }
exec dotnet '$dll' \"\$@\""
if [ "$(cat "$bin/matchctl" 2>/dev/null)" != "$wrapper" ]; then
  printf '%s\n' "$wrapper" > "$bin/matchctl"
  chmod +x "$bin/matchctl"
  echo "setup: matchctl -> $bin/matchctl (runs this checkout's build)"
fi
case ":$PATH:" in *":$bin:"*) ;; *) echo "setup: $bin is not on your PATH; add it: export PATH=\"$bin:\$PATH\"" ;; esac
