#!/usr/bin/env bash
# What the gRPC stack costs per call. Three servers in three processes answer unary grpc.health.v1.Health/Check:
#   ours = Grpc.AspNetCore with MatchService's pipeline (metrics/status middleware, drain, unknown-method middleware,
#          the error interceptor), grpc = plain Grpc.AspNetCore, bare = a Kestrel endpoint returning the same bytes.
# For each, over a fixed number of calls (h2load -n, 4 clients x 16 streams), the server's own CPU microseconds and
# bytes allocated per call (its process counters before and after: steadier than req/s on a shared machine); then
# req/s at several concurrencies, best of N alternating rounds. Goals: ours - grpc <= 1 us CPU and <= 300 B per call;
# ours >= 0.85 x bare req/s.
#   bash tests/bench/grpc-overhead.sh [calls per count, default 200000] [seconds per round, default 2] [rounds, default 3]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
calls="${1:-200000}"
seconds="${2:-2}"
rounds="${3:-3}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build tests/bench/GrpcOverhead/GrpcOverhead.csproj -c Release -nologo -v q >/dev/null
work="$(mktemp -d)"
modes=(ours grpc bare)
declare -A port counters pid
next=50191
for m in "${modes[@]}"; do
  port[$m]=$next; counters[$m]=$((next + 1)); next=$((next + 2))
  dotnet tests/bench/GrpcOverhead/bin/Release/net10.0/GrpcOverhead.dll "$m" "${port[$m]}" "${counters[$m]}" "$work/request.bin" &
  pid[$m]=$!
done
trap 'for p in "${pid[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT
for m in "${modes[@]}"; do
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:${counters[$m]}/counters" >/dev/null && break; sleep 0.2; done
done

h2() {  # $1 port, then h2load options
  local p="$1"; shift
  h2load "$@" -H 'content-type: application/grpc' -H 'te: trailers' -d "$work/request.bin" "http://127.0.0.1:$p/grpc.health.v1.Health/Check"
}

# Warm-up until tiered compilation has promoted the hot paths of every server.
for _ in 1 2 3; do for m in "${modes[@]}"; do h2 "${port[$m]}" -n 50000 -c 4 -m 16 >/dev/null; done; done

echo "per call over $calls calls (4 clients x 16 streams), server process only:"
printf '%-6s %10s %12s\n' mode cpu_us alloc_bytes
declare -A cpu alloc
for m in "${modes[@]}"; do
  read -r c0 a0 n0 <<<"$(curl -s "http://127.0.0.1:${counters[$m]}/counters")"
  out="$(h2 "${port[$m]}" -n "$calls" -c 4 -m 16)"
  grep -q "succeeded, 0 errored" <<<"$out" || { echo "h2load errors against $m:"; grep -E "requests:|status codes" <<<"$out"; exit 1; }
  read -r c1 a1 n1 <<<"$(curl -s "http://127.0.0.1:${counters[$m]}/counters")"
  cpu[$m]="$(/usr/bin/python3 -c "print(f'{($c1-$c0)/($n1-$n0):.2f}')")"
  alloc[$m]="$(/usr/bin/python3 -c "print(f'{($a1-$a0)/($n1-$n0):.0f}')")"
  printf '%-6s %10s %12s\n' "$m" "${cpu[$m]}" "${alloc[$m]}"
done
echo "our pipeline adds: $(/usr/bin/python3 -c "print(f'{${cpu[ours]}-${cpu[grpc]}:.2f}')") us CPU, $(( ${alloc[ours]} - ${alloc[grpc]} )) B per call (goal <= 1 us, <= 300 B)"

rps() {  # $1 port, $2 clients, $3 streams -> req/s
  h2 "$1" -D "$seconds" --warm-up-time=1 -c "$2" -m "$3" | grep -oP 'finished in [0-9.]+m?s, \K[0-9.]+'
}
echo
printf '%-12s %10s %10s %10s %10s\n' concurrency ours grpc bare ours/bare
for point in "1 1" "1 16" "4 16" "8 32"; do
  set -- $point
  declare -A best=([ours]=0 [grpc]=0 [bare]=0)
  for _ in $(seq "$rounds"); do
    for m in "${modes[@]}"; do
      r="$(rps "${port[$m]}" "$1" "$2")"
      best[$m]="$(/usr/bin/python3 -c "print(max(float('${best[$m]}'), float('$r')))")"
    done
  done
  printf '%-12s %10.0f %10.0f %10.0f %10.2f\n' "$1x$2" "${best[ours]}" "${best[grpc]}" "${best[bare]}" \
    "$(/usr/bin/python3 -c "print(${best[ours]}/${best[bare]})")"
done
