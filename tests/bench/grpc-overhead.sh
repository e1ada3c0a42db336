#!/usr/bin/env bash
# What our gRPC layer costs: h2load drives unary grpc.health.v1.Health/Check through MatchService.Grpc and, in the
# same run, a bare Kestrel HTTP/2 endpoint that returns the same bytes. Prints requests/s, p50 and p99 latency per
# concurrency and the ratio gRPC / bare (goal >= 0.90).
#   bash tests/bench/grpc-overhead.sh [requests per point, default 40000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
seconds="${1:-2}"
rounds="${2:-5}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build tests/bench/GrpcOverhead/GrpcOverhead.csproj -c Release -nologo -v q >/dev/null
work="$(mktemp -d)"
grpc_port=50091 bare_port=50092
dotnet tests/bench/GrpcOverhead/bin/Release/net10.0/GrpcOverhead.dll "$grpc_port" "$bare_port" "$work/request.bin" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -f "$work/request.bin" ] && (echo >"/dev/tcp/127.0.0.1/$grpc_port") 2>/dev/null && break; sleep 0.2; done

run() {  # $1 port, $2 clients, $3 streams per client -> "rps p50_ms p99_ms"
  local log="$work/log-$1-$2-$3"
  local out
  out="$(h2load -D "$seconds" --warm-up-time=1 -c "$2" -m "$3" -H 'content-type: application/grpc' -H 'te: trailers' \
    -d "$work/request.bin" --log-file="$log" "http://127.0.0.1:$1/grpc.health.v1.Health/Check")"
  local rps; rps="$(grep -oP 'finished in [0-9.]+m?s, \K[0-9.]+' <<<"$out")"
  /usr/bin/python3 - "$log" "$rps" <<'PY'
import sys
lat = sorted(int(line.split()[2]) for line in open(sys.argv[1]) if line.strip())
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] / 1000
print(f"{float(sys.argv[2]):.0f} {p(0.5):.3f} {p(0.99):.3f}")
PY
}

best() {  # "rps p50 p99" lines on stdin -> the line with the most req/s
  sort -k1,1nr | head -1
}

# Warm both paths until tiered compilation has promoted the hot methods (a few seconds of load each): one short
# warm-up left the gRPC path, which has more methods to promote, measured partly unoptimised. Each round then also
# has a second of warm-up (new connections) before its measured seconds.
for _ in 1 2 3; do run "$grpc_port" 4 16 >/dev/null; run "$bare_port" 4 16 >/dev/null; done
printf '%-12s %12s %9s %9s %12s %9s %9s %7s\n' concurrency grpc_rps p50_ms p99_ms bare_rps p50_ms p99_ms ratio
for point in "1 1" "1 16" "4 16" "8 32"; do
  set -- $point
  : >"$work/g" ; : >"$work/b"
  for _ in $(seq "$rounds"); do
    run "$grpc_port" "$1" "$2" >>"$work/g"
    run "$bare_port" "$1" "$2" >>"$work/b"
  done
  read -r g_rps g_p50 g_p99 <<<"$(best <"$work/g")"
  read -r b_rps b_p50 b_p99 <<<"$(best <"$work/b")"
  ratio="$(/usr/bin/python3 -c "print(f'{$g_rps/$b_rps:.2f}')")"
  printf '%-12s %12s %9s %9s %12s %9s %9s %7s\n' "$1x$2" "$g_rps" "$g_p50" "$g_p99" "$b_rps" "$b_p50" "$b_p99" "$ratio"
done
