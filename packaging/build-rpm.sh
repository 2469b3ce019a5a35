#!/usr/bin/env bash
# packaging/build-rpm.sh BINARY TOPDIR OUTDIR: builds the nodedaemon RPM around a prebuilt binary.
# ./build.sh rpm calls it with the published Native AOT binary; the packaging tests with a stand-in, so that both
# go through the same staging and the same rpmbuild call. Needs rpmbuild (Debian package `rpm`).
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 BINARY TOPDIR OUTDIR" >&2; exit 2; }
binary=$1 topdir=$2 outdir=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
[ -x "$binary" ] || { echo "build-rpm.sh: $binary is not an executable file" >&2; exit 1; }

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -n1)
[ -n "$version" ] || { echo "build-rpm.sh: no <Version> in Directory.Build.props" >&2; exit 1; }

rm -rf "$topdir"
mkdir -p "$topdir"/{SOURCES,SPECS,BUILD,RPMS,SRPMS} "$outdir"
install -m 0755 "$binary" "$topdir/SOURCES/nodedaemon"
cp "$root/systemd/nodedaemon.service" "$here/00-defaults.json" "$here/nodedaemon.1" \
  "$here/nodedaemon.sysusers" "$here/nodedaemon.tmpfiles" "$here/60-nodedaemon.rules" "$topdir/SOURCES/"
# Fixed order, owner and times: the same docs give the same tarball. It carries docs/rbac.yaml and
# docs/admission-policy.yaml too, which the spec installs under /usr/share/nodedaemon.
tar -C "$root" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
  -czf "$topdir/SOURCES/nodedaemon-docs.tar.gz" README.md docs
cp "$here/nodedaemon.spec" "$topdir/SPECS/"

rpmbuild -bb --quiet \
  --define "_topdir $topdir" \
  --define "pkg_version $version" \
  "$topdir/SPECS/nodedaemon.spec"

find "$topdir/RPMS" -name 'nodedaemon-*.rpm' -exec cp {} "$outdir/" \;
ls "$outdir"/nodedaemon-"$version"-*.x86_64.rpm
