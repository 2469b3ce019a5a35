#!/usr/bin/env bash
# The demo as far as the project goes today: the published AOT binary, its configuration checks, its
# decision core walking one update over a real `rpm-ostree status --json` capture, and the simulated world
# (rpm-ostreed on a private D-Bus, a loopback kube-apiserver) driven by the binary and by real kubectl.
# It ends with the AOT daemon converging a simulated node on a new image across a simulated reboot.
set -euo pipefail
bin=${1:?usage: run-demo.sh path/to/nodedaemon}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fixtures=""
for candidate in "$root/../shared/fixtures/rpm-ostree-status" "$root/shared/fixtures/rpm-ostree-status"; do
  [ -d "$candidate" ] && fixtures=$candidate && break
done
[ -n "$fixtures" ] || { echo "run-demo.sh: no shared/fixtures/rpm-ostree-status beside the repository" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/config.d"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "the binary (Native AOT, $(du -h "$bin" | cut -f1))"
run "$bin" version

step "a valid drop-in: validate-config reads it and exits 0"
cat > "$work/config.d/50-site.json" <<'JSON'
{
  "drain": { "timeoutSeconds": 1800, "deleteEmptyDirData": true },
  "staging": { "maxAttempts": 5 }
}
JSON
run "$bin" validate-config --config-dir "$work/config.d"

step "a drop-in with three mistakes: all three reported, exit 2"
cat > "$work/bad.json" <<'JSON'
{ "drain": { "concurrency": "eight", "timeoutSecond": 600 }, "fleet": { "maxUnavailable": "0%" } }
JSON
set +e
"$bin" validate-config --config-dir "$work/config.d" --config "$work/bad.json"
echo "exit code: $?"
set -e

# node.json DESIRED [unschedulable] [cordoned-by-us]
node() {
  local annotations=""
  [ -n "$1" ] && annotations="\"nodedaemon.io/desired-image\": \"$1\""
  if [ "${3:-}" = ours ]; then
    annotations="$annotations${annotations:+, }\"nodedaemon.io/cordoned-by\": \"nodedaemon\""
  fi
  printf '{"apiVersion":"v1","kind":"Node","metadata":{"name":"worker-1","annotations":{%s}},"spec":{"unschedulable":%s}}\n' \
    "$annotations" "${2:-false}" > "$work/node.json"
}
explain() { "$bin" explain --config-dir "$work/config.d" --node "$work/node.json" --status "$fixtures/$1"; }

status=fcos-container-status.json
staged=$(grep -o '"container-image-reference-digest" *: *"sha256:[0-9a-f]*"' "$fixtures/$status" | head -1 | grep -o 'sha256:[0-9a-f]*')
new="quay.io/fedora/fedora-coreos@sha256:$(printf '4%.0s' $(seq 64))"

step "one update, decided over a real host capture ($status: booted ostree-remote, staged container $staged)"
echo "-- a new desired image: stage it first, nothing disrupted yet"
node "$new"; explain "$status"
echo "-- the desired image is the staged one (under any name): never pulled again; cordon"
node "quay.io/fedora/fedora-coreos@$staged"; explain "$status"
echo "-- our cordon is on: drain"
node "quay.io/fedora/fedora-coreos@$staged" true ours; explain "$status"
echo "-- an admin's cordon: drain, and never lift it afterwards"
node "quay.io/fedora/fedora-coreos@$staged" true; explain "$status"

step "bad input: a clear reason, no action"
node "quay.io/fedora/fedora-coreos:stable; reboot"; explain "$status"
node "quay.io/fedora/fedora-coreos:stable"; explain "$status"

sim="$root/tests/NodeDaemon.Sim/bin/Release/net10.0/nodedaemon-sim.dll"
step "the simulated host: rpm-ostreed (GDBus) on a private dbus-daemon, read by the AOT binary"
dotnet build "$root/tests/NodeDaemon.Sim" -c Release -nologo -v:q >/dev/null
cat > "$work/bus.conf" <<XML
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>system</type><listen>unix:path=$work/bus.sock</listen><auth>EXTERNAL</auth>
<policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/></policy></busconfig>
XML
dbus-daemon --config-file="$work/bus.conf" --nofork --print-address > "$work/bus.address" 2>/dev/null & pids+=($!)
for _ in $(seq 50); do [ -s "$work/bus.address" ] && break; sleep 0.1; done
bus=$(head -1 "$work/bus.address")
cp "$fixtures/$status" "$work/host.json"
dotnet "$sim" rpm-ostreed --bus "$bus" --state "$work/host.json" --speed 5 > "$work/sim.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do grep -q ready "$work/sim.log" 2>/dev/null && break; sleep 0.1; done
echo "\$ nodedaemon status   (DBUS_SYSTEM_BUS_ADDRESS=<private bus>)"
DBUS_SYSTEM_BUS_ADDRESS="$bus" "$bin" status --config-dir "$work/config.d"

step "the simulated cluster: a loopback kube-apiserver, driven by real kubectl"
kubectl=$(ls /usr/lib/google-cloud-sdk/bin/kubectl.1.* 2>/dev/null | sort -t. -k3 -n | tail -1)
[ -n "$kubectl" ] || kubectl=kubectl
cat > "$work/seed.json" <<'JSON'
{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "worker-1", "labels": {"node-role.kubernetes.io/worker": ""}}},
  {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "worker-2", "labels": {"node-role.kubernetes.io/worker": ""}}},
  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-7d4f9-abcde", "namespace": "shop", "labels": {"app": "web"},
     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d4f9", "uid": "6a0c7c1e-0000-4000-8000-000000000001", "controller": true}]},
   "spec": {"nodeName": "worker-1", "terminationGracePeriodSeconds": 5, "containers": [{"name": "web", "image": "registry.example/web:1"}]}}]}
JSON
dotnet "$sim" apiserver --listen 127.0.0.1:0 --seed "$work/seed.json" --kubeconfig-out "$work/kubeconfig" --time-scale 0.1 \
  > "$work/api.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do [ -s "$work/kubeconfig" ] && grep -q http "$work/api.log" && break; sleep 0.1; done
run "$kubectl" --kubeconfig "$work/kubeconfig" annotate node worker-1 "nodedaemon.io/desired-image=quay.io/fedora/fedora-coreos@$staged"
"$kubectl" --kubeconfig "$work/kubeconfig" get node worker-1 -o json > "$work/node.json"
echo "-- what the agent decides for that node and the simulated host:"
"$bin" explain --config-dir "$work/config.d" --node "$work/node.json" --status "$work/host.json"

step "the agent converges the simulated node on a new image, across a reboot"
k() { "$kubectl" --kubeconfig "$work/kubeconfig" "$@"; }
cat > "$work/config.d/60-simulated-node.json" <<JSON
{ "nodeName": "worker-1", "kubeconfig": "$work/kubeconfig", "stateDirectory": "$work/state",
  "bootIdFile": "$work/boot_id", "authFile": "", "backend": "rpmOstree" }
JSON
echo "boot-1" > "$work/boot_id"
start_daemon() {
  DBUS_SYSTEM_BUS_ADDRESS="$bus" "$bin" run --config-dir "$work/config.d" 2>> "$work/daemon.log" & daemon=$!
  pids+=($daemon)
}
# watch_node UNTIL_PID_OR_STATE prints each new phase and message of the node until the condition holds.
last=""
show_progress() {
  local line
  line=$(k get node worker-1 -o jsonpath='{.metadata.annotations.nodedaemon\.io/state} {.metadata.annotations.nodedaemon\.io/phase}: {.metadata.annotations.nodedaemon\.io/message}' 2>/dev/null || true)
  if [ -n "$line" ] && [ "$line" != "$last" ]; then printf '  %s  %s\n' "$(date +%T)" "$line"; last=$line; fi
}
run k annotate node worker-1 --overwrite "nodedaemon.io/desired-image=$new"
start_daemon
simpid=${pids[1]}
for _ in $(seq 600); do show_progress; kill -0 "$simpid" 2>/dev/null || break; sleep 0.1; done
wait "$simpid" && code=0 || code=$?
echo "  -- rpm-ostreed finalized the stage and asked for a reboot (simulator exit $code); the machine reboots:"
kill -TERM "$daemon"; wait "$daemon" || true
dotnet "$sim" boot --state "$work/host.json" | sed 's/^/  boot: /'
echo "boot-2" > "$work/boot_id"
dotnet "$sim" rpm-ostreed --bus "$bus" --state "$work/host.json" --speed 5 > "$work/sim2.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do grep -q ready "$work/sim2.log" 2>/dev/null && break; sleep 0.1; done
start_daemon
for _ in $(seq 300); do
  show_progress
  [ "$(k get node worker-1 -o jsonpath='{.metadata.annotations.nodedaemon\.io/state}')" = Done ] && break
  sleep 0.1
done
show_progress

step "the end state"
k get node worker-1 -o json | python3 -c 'import json,sys; n=json.load(sys.stdin); [print(f"  {k} = {v}") for k,v in sorted(n["metadata"].get("annotations",{}).items())]; print("  spec.unschedulable =", n["spec"].get("unschedulable", False))'
echo "  pods: $(k get pods -n shop -o jsonpath='{range .items[*]}{.metadata.name}@{.spec.nodeName} {end}')"
echo "  events: $(k get events -n default -o jsonpath='{range .items[*]}{.reason} {end}')"
echo "\$ nodedaemon status"
DBUS_SYSTEM_BUS_ADDRESS="$bus" "$bin" status --config-dir "$work/config.d" | sed -n '1,8p'
kill -TERM "$daemon"; wait "$daemon" || true
echo "(the daemon's journal-style log of this run: $(grep -c . "$work/daemon.log") lines; not shown)"
