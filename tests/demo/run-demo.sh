#!/usr/bin/env bash
# The demo: the published Native AOT binary converges a simulated node on a new OS image, told as it happens.
# The world is the project's simulated one (docs/simulator.md): rpm-ostreed on a private D-Bus, a loopback
# kube-apiserver with pods and a disruption budget, and `nodedaemon run` as a process; the reboot is carried out.
set -euo pipefail
bin=${1:?usage: run-demo.sh path/to/nodedaemon}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "the binary (Native AOT, $(du -h "$bin" | cut -f1))"
run "$bin" version

step "its configuration is checked before it starts: every mistake at once, exit 2"
mkdir -p "$work/config.d"
printf '{ "drain": { "concurrency": "eight", "timeoutSecond": 600 }, "fleet": { "maxUnavailable": "0%%" } }\n' > "$work/config.d/50-site.json"
run "$bin" validate-config --config-dir "$work/config.d" || echo "exit code: $?"

step "a node moves to a new image: stage, cordon, drain, reboot, verify, uncordon"
dotnet build "$root/tests/NodeDaemon.Sim" -c Release -nologo -v:q -clp:NoSummary >/dev/null
sim="$root/tests/NodeDaemon.Sim/bin/Release/net10.0/nodedaemon-sim"
# The narration goes to the terminal; the full result (timeline, transactions, API requests) is kept as JSON.
"$sim" scenario "$here/demo-scenario.json" --daemon "$bin" --narrate > "$root/artifacts/demo-result.json"
echo
echo "(the whole run as JSON: artifacts/demo-result.json)"
