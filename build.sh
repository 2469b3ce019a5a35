#!/usr/bin/env bash
# The one entry point: ./build.sh test | demo | publish | rpm | help
# Each verb installs the Debian packages it needs when they are missing.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
artifacts=$root/artifacts

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

need_dotnet() {
  command -v dotnet >/dev/null 2>&1 ||
    die "the .NET 10 SDK is missing: install it (https://learn.microsoft.com/dotnet/core/install/linux-debian) and put 'dotnet' on PATH"
  local major
  major=$(dotnet --version 2>/dev/null | cut -d. -f1)
  [ "${major:-0}" -ge 10 ] || die "the .NET SDK on PATH is $(dotnet --version), NodeDaemon needs 10 or newer"
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

apt_updated=0
# need_debs PACKAGE... installs the Debian packages that are not installed yet.
need_debs() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing Debian packages: ${missing[*]} (and no apt-get to install them)"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  say "installing Debian packages: ${missing[*]}"
  if [ $apt_updated -eq 0 ]; then
    "${sudo[@]}" apt-get update -qq || die "apt-get update failed; install by hand: ${missing[*]}"
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    die "could not install: ${missing[*]}"
}

# dbus-daemon: the private bus; python3-gi: GLib's GDBus, which serves the rpm-ostreed simulator (the library
# rpm-ostreed itself uses); libglib2.0-bin: gdbus; systemd: busctl, journalctl, systemd-analyze; rpm, rpmlint: the
# packaging tests build the RPM around a stand-in binary and lint it; python3-prometheus-client: the Prometheus project's
# text-format parser, which reads back what /metrics serves; curl: scrapes the endpoint over TCP and a unix socket;
# docker-registry, buildah, skopeo, apache2-utils: the real OCI registry behind the rpm-ostreed simulator (distribution's
# registry with htpasswd auth, whose bcrypt file htpasswd -B writes; test images built from scratch with buildah; pulls
# through skopeo's image proxy, as ostree-ext does). faketime: libfaketime steps the daemon's wall clock in a scenario
# (the clock fault); e2fsprogs: mkfs.ext4 for the scenario whose state directory is a small loop-mounted file system
# (util-linux's mount and losetup come with Debian). polkitd: the real polkitd and pkcheck, which judge the RPM's
# polkit rules in the packaging tests (pkexec is not needed: pkcheck asks polkitd directly; setpriv, of util-linux,
# runs it as the daemon's user). prometheus: its promtool checks and unit-tests the shipped alerting rules.
test_debs=(dbus-daemon python3-gi gir1.2-glib-2.0 libglib2.0-bin systemd systemd-journal-remote rpm rpmlint
  python3-prometheus-client curl docker-registry buildah skopeo apache2-utils faketime e2fsprogs polkitd prometheus)

# need_kubectl makes sure some kubectl exists: the machine's versioned ones, else Debian's kubernetes-client.
need_kubectl() {
  if command -v kubectl >/dev/null 2>&1 || compgen -G '/usr/lib/google-cloud-sdk/bin/kubectl.1.*' >/dev/null; then
    return 0
  fi
  need_debs kubernetes-client
}
publish_debs=(clang zlib1g-dev)

cmd_test() {
  need_dotnet
  need_debs "${test_debs[@]}"
  need_kubectl
  # The scenario library (tests/scenarios/) runs the published Native AOT binary, as a node would.
  cmd_publish
  say "building"
  dotnet build NodeDaemon.sln -c Release -nologo -clp:NoSummary -v:q
  say "testing"
  local rc=0
  export SCENARIO_DAEMON_BINARY="$artifacts/bin/nodedaemon"
  # Test assemblies run side by side: each process's dbus-daemons, simulators, API servers and registries take their
  # own temp dirs, sockets and free ports, and waits on other processes are bounded polls (NodeDaemon.Testing Poll)
  # while timing rules run on fake clocks, so a busy machine slows the tests without failing them.
  dotnet test NodeDaemon.sln -c Release --no-build -nologo -v:q \
    --logger "console;verbosity=minimal" --results-directory "$artifacts/test-results" \
    --logger "trx" 2>&1 | tee "$artifacts/test.log" || rc=$?
  summarize_tests
  return $rc
}

# summarize_tests prints one closing line with the totals of every test project.
summarize_tests() {
  local passed failed skipped
  passed=$(grep -Eo 'Passed: +[0-9]+' "$artifacts/test.log" | awk '{s+=$2} END {print s+0}')
  failed=$(grep -Eo 'Failed: +[0-9]+' "$artifacts/test.log" | awk '{s+=$2} END {print s+0}')
  skipped=$(grep -Eo 'Skipped: +[0-9]+' "$artifacts/test.log" | awk '{s+=$2} END {print s+0}')
  echo "tests: $passed passed, $failed failed, $skipped skipped"
}

cmd_publish() {
  need_dotnet
  need_debs "${publish_debs[@]}"
  say "publishing the Native AOT binary"
  rm -rf "$artifacts/bin"
  dotnet publish src/NodeDaemon/NodeDaemon.csproj -c Release -r linux-x64 -nologo -v:q \
    -o "$artifacts/bin"
  [ -x "$artifacts/bin/nodedaemon" ] || die "publish produced no artifacts/bin/nodedaemon"
  # A root daemon keeps ASLR for its own image: the ELF type (e_type, 2 bytes at offset 16) must be ET_DYN, 3, a PIE
  # (docs/benchmarks.md, "Footprint: fifth pass": a non-PIE build saves memory and was not taken).
  local elf_type
  elf_type=$(od -An -t u2 -j 16 -N 2 "$artifacts/bin/nodedaemon" | tr -d ' ')
  [ "$elf_type" = 3 ] || die "artifacts/bin/nodedaemon is not position-independent (ELF type $elf_type, want 3)"
  rm -f "$artifacts/bin/"*.dbg "$artifacts/bin/"*.pdb "$artifacts/bin/"*.xml
  say "$(du -h "$artifacts/bin/nodedaemon" | cut -f1) artifacts/bin/nodedaemon"
}

cmd_bench() {
  need_dotnet
  need_debs "${test_debs[@]}"
  need_kubectl
  # The daemon figures are of the published Native AOT binary.
  cmd_publish
  say "building the benchmarks (Release)"
  dotnet build tests/NodeDaemon.Bench -c Release -nologo -v:q
  # Names after the verb run only those benchmarks (daemon, footprint, hostStatusRead, watchReaction, drain, fleet;
  # fleet2000, 2,000 nodes with 40 slots, runs only when named).
  dotnet "tests/NodeDaemon.Bench/bin/Release/net10.0/NodeDaemon.Bench.dll" "$artifacts/bench.json" "$@"
  say "wrote artifacts/bench.json"
}

# rpm: rpmbuild; rpmlint: the packaging check (Debian's, run with packaging/rpmlint.toml).
rpm_debs=(rpm rpmlint)

cmd_rpm() {
  cmd_publish
  need_debs "${rpm_debs[@]}"
  say "building the RPM"
  rm -rf "$artifacts/rpm"
  bash "$root/packaging/build-rpm.sh" "$artifacts/bin/nodedaemon" "$artifacts/rpmbuild" "$artifacts/rpm" >/dev/null
  local rpms=("$artifacts/rpm"/nodedaemon-*.rpm)
  say "rpmlint (errors fail the build; packaging/rpmlint.toml says why each filtered one is kept)"
  # rpmlint exits non-zero on errors only; warnings are printed and pass.
  rpmlint -c "$root/packaging/rpmlint.toml" "$root/packaging/nodedaemon.spec" "${rpms[@]}" ||
    die "rpmlint found errors"
  say "$(du -h "${rpms[0]}" | cut -f1) ${rpms[0]#"$root/"}"
}

cmd_demo() {
  need_dotnet
  need_debs "${test_debs[@]}"
  need_kubectl
  cmd_publish
  bash "$root/tests/demo/run-demo.sh" "$artifacts/bin/nodedaemon"
}

usage() {
  cat <<USAGE
usage: ./build.sh VERB
  test      publish, build and run every test, the scenario library against the AOT binary (installs dbus-daemon, systemd-journal-remote, python3-prometheus-client, ...)
  demo      publish the binary and run the demo
  publish   Native AOT binary at artifacts/bin/nodedaemon (installs clang, zlib1g-dev)
  rpm       publish, then the RPM at artifacts/rpm/ and rpmlint on it (installs rpm, rpmlint)
  bench     measurements against the simulated world, to artifacts/bench.json and a table on stdout;
            ./build.sh bench fleet (or daemon, footprint, hostStatusRead, watchReaction, drain) runs only those;
            ./build.sh bench fleet2000 runs 2,000 nodes with 40 slots (about 26 min; never part of a plain bench)
USAGE
}

mkdir -p "$artifacts"
case "${1:-help}" in
  test) cmd_test ;;
  publish) cmd_publish ;;
  rpm) cmd_rpm ;;
  demo) cmd_demo ;;
  bench) shift; cmd_bench "$@" ;;
  help|-h|--help) usage ;;
  *) usage >&2; exit 2 ;;
esac
