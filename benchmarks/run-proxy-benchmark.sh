#!/usr/bin/env bash
# HTTP proxy benchmark: direct vs agentgateway vs nginx under wrk, added latency at half saturation,
# time to first SSE event, start-to-first-request. Usage: benchmarks/run-proxy-benchmark.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  echo "installing wrk and nginx-light (Debian packages) ..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk nginx-light >/dev/null
fi
exec benchmarks/run-benchmark.sh proxy.ProxyBenchmark "$@"
