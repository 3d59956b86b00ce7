#!/usr/bin/env bash
# Builds the benchmarks module (with the modules it needs) and runs one of its programs, or JMH.
# Usage: benchmarks/run-benchmark.sh <class under dev.agentgateway.benchmarks> [args...]
#        benchmarks/run-benchmark.sh jmh <JMH arguments...>
# e.g.   benchmarks/run-benchmark.sh proxy.TlsBenchmark 10 64
#        benchmarks/run-benchmark.sh jmh LocalRateLimitBenchmark -bm sample
# Maven reads MAVEN_ARGS (MAVEN_ARGS=-o builds offline); BUILD=no runs what was built last; JAVA_OPTS adds JVM options.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  JAVA_HOME=$(ls -d /usr/lib/jvm/*25* /usr/lib/jvm/*21* 2>/dev/null | head -1 || true); export JAVA_HOME
fi
if [ "${BUILD:-yes}" != no ]; then
  ./mvnw -B -q -pl benchmarks -am -DskipTests -Dnpm.skip=true package dependency:build-classpath \
    -Dmdep.outputFile="$PWD/benchmarks/target/classpath.txt"
fi
# LlmBenchmark's peer: the Portkey gateway, pinned by benchmarks/portkey/package-lock.json (skipped without npm)
if [ "${1:-}" = llm.LlmBenchmark ] && [ ! -d benchmarks/portkey/node_modules ] && command -v npm >/dev/null; then
  (cd benchmarks/portkey && npm ci --no-audit --no-fund --ignore-scripts)
fi
target="${1:?usage: benchmarks/run-benchmark.sh <class under dev.agentgateway.benchmarks>|jmh [args...]}"; shift
main="dev.agentgateway.benchmarks.$target"; [ "$target" = jmh ] && main=org.openjdk.jmh.Main
# the jar, not target/classes: the JDK's AOT cache (ProxyBenchmark's start-up runs) takes jar files only
# JAVA_OPTS adds JVM options, e.g. a JFR recording
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -Xmx1g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$(ls benchmarks/target/agentgateway-benchmarks-*.jar | grep -v -e sources -e javadoc | head -1):$(cat benchmarks/target/classpath.txt)" \
  "$main" "$@"
