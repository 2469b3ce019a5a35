#!/usr/bin/python3
"""The Exec of the simulator's activation file: dbus-daemon runs it when a call names org.projectatomic.rpmostree1 and
nobody owns it. It asks the simulator's control object to start its rpm-ostreed part, which owns the name before it
answers, so the bus then delivers the queued call. The bus address comes from DBUS_STARTER_ADDRESS, which the bus sets
for what it activates."""
from __future__ import annotations

import os
import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402


def main() -> int:
    """Calls org.nodedaemon.Sim1.StartRpmOstreed; exit 1 (activation failed) when it cannot."""
    address = os.environ.get("DBUS_STARTER_ADDRESS") or (sys.argv[1] if len(sys.argv) > 1 else "")
    if not address:
        print("sim_activate: no DBUS_STARTER_ADDRESS", file=sys.stderr)
        return 1
    flags = Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION
    connection = Gio.DBusConnection.new_for_address_sync(address, flags, None, None)
    connection.call_sync("org.nodedaemon.Sim1", "/org/nodedaemon/Sim1", "org.nodedaemon.Sim1", "StartRpmOstreed",
                         None, None, Gio.DBusCallFlags.NO_AUTO_START, 10000, None)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GLib.Error as error:
        print(f"sim_activate: {error.message}", file=sys.stderr)
        sys.exit(1)
