#!/usr/bin/python3
"""A minimal org.freedesktop.systemd1 for the unit reader's tests: Manager.GetUnit/LoadUnit and two Unit properties.

Semantics follow systemd's src/core/dbus-manager.c: GetUnit answers only for a unit loaded in memory (else the error
org.freedesktop.systemd1.NoSuchUnit); LoadUnit loads it, and a unit with no file still gets an object whose LoadState
is "not-found". Usage: fake_systemd1.py BUS_ADDRESS UNITS_JSON, where UNITS_JSON maps a name to
{"load": ..., "active": ..., "loaded": true|false} ("loaded": false = on disk, not in memory until LoadUnit).
"""
import json
import sys

from gi.repository import Gio, GLib

XML = """
<node>
  <interface name="org.freedesktop.systemd1.Manager">
    <method name="GetUnit"><arg type="s" direction="in"/><arg type="o" direction="out"/></method>
    <method name="LoadUnit"><arg type="s" direction="in"/><arg type="o" direction="out"/></method>
  </interface>
  <interface name="org.freedesktop.systemd1.Unit">
    <property name="LoadState" type="s" access="read"/>
    <property name="ActiveState" type="s" access="read"/>
  </interface>
</node>
"""

info = Gio.DBusNodeInfo.new_for_xml(XML)
units = json.loads(sys.argv[2])
registered = {}


def escape(name):
    # systemd's bus_label_escape: every byte outside [A-Za-z0-9] becomes _XX.
    return "".join(c if c.isalnum() and c.isascii() else "_%02x" % ord(c) for c in name)


def unit_path(connection, name):
    path = "/org/freedesktop/systemd1/unit/" + escape(name)
    if path not in registered:
        state = units.setdefault(name, {"load": "not-found", "active": "inactive"})
        registered[path] = connection.register_object(
            path, info.interfaces[1], None,
            lambda c, s, p, i, prop, st=state: GLib.Variant("s", st["load"] if prop == "LoadState" else st["active"]), None)
    return path


def manager_call(connection, sender, path, interface, method, params, invocation):
    name = params.unpack()[0]
    known = units.get(name)
    if method == "GetUnit" and (known is None or not known.get("loaded", True)):
        invocation.return_dbus_error("org.freedesktop.systemd1.NoSuchUnit", "Unit %s not loaded." % name)
        return
    if known is not None:
        known["loaded"] = True
    invocation.return_value(GLib.Variant("(o)", (unit_path(connection, name),)))


def main():
    connection = Gio.DBusConnection.new_for_address_sync(
        sys.argv[1], Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
    connection.register_object("/org/freedesktop/systemd1", info.interfaces[0], manager_call, None, None)
    reply = connection.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "RequestName",
                                 GLib.Variant("(su)", ("org.freedesktop.systemd1", 4)), None, Gio.DBusCallFlags.NONE, -1, None)
    if reply.unpack()[0] != 1:
        sys.exit("could not own org.freedesktop.systemd1")
    print("ready", flush=True)
    GLib.MainLoop().run()


main()
