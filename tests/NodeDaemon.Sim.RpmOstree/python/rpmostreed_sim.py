#!/usr/bin/python3
"""nodedaemon-sim rpm-ostreed: a simulated rpm-ostreed on a given D-Bus bus, served by GLib's GDBus.

Run by `nodedaemon-sim rpm-ostreed` (see docs/simulator.md). Exit codes: 0 on SIGTERM/SIGINT, 100 when the
simulated host was asked to reboot, the `die` fault's code when it fires, 2 on bad arguments.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

import sim_idle  # noqa: E402
import sim_service  # noqa: E402

RPMOSTREED = "org.projectatomic.rpmostree1"
NAMES = (RPMOSTREED, "org.freedesktop.login1", "org.freedesktop.systemd1", "org.nodedaemon.Sim1")
SPEC_XML = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "org.projectatomic.rpmostree1.subset.xml")


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The same options as the C# verb, which forwards them unchanged."""
    parser = argparse.ArgumentParser(prog="rpmostreed_sim.py", description=__doc__)
    parser.add_argument("--bus", required=True, help="D-Bus address of the (private) system bus")
    parser.add_argument("--state", required=True, help="rpm-ostree status --json document, rewritten on change")
    parser.add_argument("--registry", help="fake registry JSON: {pullspec: {digest, version}}")
    parser.add_argument("--faults", help="fault knobs JSON; re-read on SIGHUP")
    parser.add_argument("--osname", help="OS name (default: the booted deployment's)")
    parser.add_argument("--run-dir", help="where transaction sockets go (default: a temp dir removed at exit)")
    parser.add_argument("--speed", type=float, default=1.0, help="progress speed factor (10 = ten times faster)")
    parser.add_argument("--activation-dir",
                        help="the bus's servicedir: writes the activation file there and turns the idle exit on")
    return parser.parse_args(argv)


def connect(address: str) -> Gio.DBusConnection:
    """Connects to a message bus (Hello included) at an explicit address."""
    flags = Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION
    return Gio.DBusConnection.new_for_address_sync(address, flags, None, None)


def own_names(connection: Gio.DBusConnection, names: tuple[str, ...] = NAMES) -> None:
    """Requests every name synchronously: once this returns, clients can call us."""
    for name in names:
        reply = connection.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                     "RequestName", GLib.Variant("(su)", (name, 4)), GLib.VariantType("(u)"),
                                     Gio.DBusCallFlags.NONE, 5000, None)
        if reply.unpack()[0] != 1:
            raise RuntimeError(f"could not own {name} (RequestName answered {reply.unpack()[0]})")


def main(argv: list[str]) -> int:
    """Serves until a signal, a reboot request or a fault ends the process."""
    args = parse_args(argv)
    with open(SPEC_XML, encoding="utf-8") as handle:
        spec_xml = handle.read()
    own_run_dir = args.run_dir is None
    run_dir = tempfile.mkdtemp(prefix="rpm-ostreed-sim-") if own_run_dir else args.run_dir
    try:
        return serve(args, spec_xml, run_dir)
    finally:
        if own_run_dir:
            shutil.rmtree(run_dir, ignore_errors=True)


def serve(args: argparse.Namespace, spec_xml: str, run_dir: str) -> int:
    """Exports the service and runs the main loop."""
    loop = GLib.MainLoop()
    exit_code = [0]

    def exit_with(code: int) -> None:
        exit_code[0] = code
        loop.quit()

    connection = connect(args.bus)
    service = sim_service.RpmOstreed(connection, spec_xml, args.state, args.osname, args.registry, args.faults,
                                     args.speed, exit_with, run_dir)
    service.export()
    own_names(connection)
    activation_dir = sim_idle.parse_activation_dir(args.activation_dir)
    if activation_dir is not None:
        sim_idle.write_service_file(activation_dir)

        def stop() -> None:
            service.stop_rpmostreed()
            connection.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                 "ReleaseName", GLib.Variant("(s)", (RPMOSTREED,)), GLib.VariantType("(u)"),
                                 Gio.DBusCallFlags.NONE, 5000, None)

        def start() -> None:
            service.start_rpmostreed()
            own_names(connection, (RPMOSTREED,))

        service.life = sim_idle.IdleExit(lambda: service.faults.lifecycle.idle_exit_seconds, service.is_idle, stop,
                                         start, lambda: service.faults.lifecycle.exit_flush_ms)
        service.life.update()
    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGTERM, lambda: exit_with(0) or False)
    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGINT, lambda: exit_with(0) or False)
    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGHUP, lambda: service.reload_faults() or True)
    connection.connect("closed", lambda *_: exit_with(1))
    print(f"rpm-ostreed simulator ready on {args.bus} as {connection.get_unique_name()}", flush=True)
    loop.run()
    if service.txn is not None:
        service.txn.close()
    connection.flush_sync(None)
    return exit_code[0]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
