#!/usr/bin/env bash
# Benchmark: the embedded and nginx routers between the same two sample-app processes. (a) Cutovers and rollbacks
# under steady load from 4 keep-alive clients: failed requests, and the time from the switch decision (the call of
# setWeights) to the router reporting the target alone and a new request reaching it. (b) Throughput and latency
# p50/p99 of N keep-alive clients for a fixed time through each router, and straight to the backend for reference.
# Prints markdown tables. Builds what it runs; installs Debian's nginx-light if nginx is missing.
#   benchmarks/router-switch.sh [seconds=10] [clients=8] [round-trips=100]
# MVN overrides the Maven command (e.g. MVN="mvn -o" offline).
set -euo pipefail

seconds="${1:-10}"
clients="${2:-8}"
round_trips="${3:-100}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
read -r -a mvn <<<"${MVN:-mvn}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"

if ! command -v nginx >/dev/null 2>&1 && [[ ! -x /usr/sbin/nginx ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
fi

# sample-app's jar, traffic-switcher's classes and test classes, and the classpath they run with; no tests run.
"${mvn[@]}" -q -B -pl traffic-switcher -am -DskipTests package dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath" >&2

java -cp "traffic-switcher/target/test-classes:traffic-switcher/target/classes:$(cat "$work/classpath")" \
    dev.switchback.switcher.router.RouterSwitchBenchmark sample-app/target/sample-app.jar \
    "$seconds" "$clients" "$round_trips"
