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
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  JAVA_HOME=$(ls -d /usr/lib/jvm/*25* /usr/lib/jvm/*21* 2>/dev/null | head -1); export JAVA_HOME
fi
./mvnw -B -q -pl benchmarks -am -DskipTests package dependency:build-classpath -Dmdep.outputFile="$PWD/benchmarks/target/classpath.txt"
exec "$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$(ls benchmarks/target/agentgateway-benchmarks-*.jar | grep -v -e sources -e javadoc | head -1):$(cat benchmarks/target/classpath.txt)" \
  dev.agentgateway.benchmarks.proxy.ProxyBenchmark "$@"
