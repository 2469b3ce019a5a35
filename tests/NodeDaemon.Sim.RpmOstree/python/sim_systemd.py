"""A fake systemd1 manager on the private bus: the unit states a health check reads, keyed by the booted image.

Shapes follow systemd (src/core/dbus-manager.c, dbus-unit.c; org.freedesktop.systemd1(5)): GetUnit(s name) -> o on
/org/freedesktop/systemd1 answers only loaded units, else the error org.freedesktop.systemd1.NoSuchUnit
"Unit <name> not loaded." (bus_get_unit_by_name); LoadUnit(s) -> o also answers unknown names, whose unit has LoadState
"not-found"; a unit lives at /org/freedesktop/systemd1/unit/<bus_label_escape(id)> with org.freedesktop.systemd1.Unit
Id, Names, Description, LoadState, ActiveState, SubState, ActiveEnterTimestamp (µs since the epoch, 0: never active).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from gi.repository import Gio, GLib

NAME = "org.freedesktop.systemd1"
PATH = "/org/freedesktop/systemd1"
MANAGER = "org.freedesktop.systemd1.Manager"
UNIT = "org.freedesktop.systemd1.Unit"
NO_SUCH_UNIT = "org.freedesktop.systemd1.NoSuchUnit"
BOOT_COMPLETE = "boot-complete.target"
# Loaded on every simulated boot; a unit named by a unit-failed fault is loaded too.
DEFAULT_UNITS = (BOOT_COMPLETE, "kubelet.service", "crio.service")

XML = """<node>
  <interface name="org.freedesktop.systemd1.Manager">
    <method name="GetUnit"><arg type="s" name="name" direction="in"/><arg type="o" name="unit" direction="out"/></method>
    <method name="LoadUnit"><arg type="s" name="name" direction="in"/><arg type="o" name="unit" direction="out"/></method>
    <property name="SystemState" type="s" access="read"/>
  </interface>
  <interface name="org.freedesktop.systemd1.Unit">
    <property name="Id" type="s" access="read"/>
    <property name="Names" type="as" access="read"/>
    <property name="Description" type="s" access="read"/>
    <property name="LoadState" type="s" access="read"/>
    <property name="ActiveState" type="s" access="read"/>
    <property name="SubState" type="s" access="read"/>
    <property name="ActiveEnterTimestamp" type="t" access="read"/>
  </interface>
</node>"""


@dataclass
class UnitFailure:
    """One `unit-failed` fault: after a boot into `digest`, `unit` is failed; `blocks_boot_complete` keeps
    boot-complete.target from being reached (as a greenboot check RequiredBy= it does)."""

    digest: str
    unit: str
    blocks_boot_complete: bool = False


def parse(value: Any) -> list[UnitFailure]:
    """`unit-failed`: one `{"digest", "unit", "blocks-boot-complete": false}` or a list of them."""
    if value is None or value is False:
        return []
    items = value if isinstance(value, list) else [value]
    failures: list[UnitFailure] = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("unit-failed: each entry is {\"digest\", \"unit\", \"blocks-boot-complete\"}")
        unknown = set(item) - {"digest", "unit", "blocks-boot-complete"}
        if unknown:
            raise ValueError(f"unknown unit-failed keys: {', '.join(sorted(unknown))}")
        digest, unit = str(item.get("digest", "")), str(item.get("unit", ""))
        if not digest.startswith("sha256:") or not unit:
            raise ValueError("unit-failed needs a \"digest\" (sha256:...) and a \"unit\"")
        failures.append(UnitFailure(digest, unit, bool(item.get("blocks-boot-complete", False))))
    return failures


def bus_label_escape(label: str) -> str:
    """systemd's bus_label_escape (src/basic/bus-label.c): every byte but [A-Za-z0-9] (and a leading digit) as _xx."""
    if not label:
        return "_"
    out = []
    for index, char in enumerate(label.encode()):
        if (chr(char).isascii() and chr(char).isalpha()) or (index > 0 and chr(char).isdigit()):
            out.append(chr(char))
        else:
            out.append(f"_{char:02x}")
    return "".join(out)


def unit_path(name: str) -> str:
    """The object path systemd gives a unit (unit_dbus_path)."""
    return f"{PATH}/unit/{bus_label_escape(name)}"


class FakeSystemd:
    """Serves the manager and its units; `booted_digest` and `failures` are read at every call, so a new boot (a new
    simulator process on the booted state) or a re-read faults file shows at once."""

    def __init__(self, connection: Gio.DBusConnection, booted_digest: Callable[[], Optional[str]],
                 failures: Callable[[], list[UnitFailure]]) -> None:
        self._bus = connection
        self._node = Gio.DBusNodeInfo.new_for_xml(XML)
        self._booted_digest = booted_digest
        self._failures = failures
        self._units: dict[str, str] = {}
        # The units were started with this boot, i.e. with this simulator process.
        self._since = int(time.time() * 1_000_000)

    def export(self) -> None:
        """Registers the manager; units are registered when first asked for."""
        self._bus.register_object(PATH, self._node.lookup_interface(MANAGER), self._on_call, self._on_get_manager, None)
        for name in DEFAULT_UNITS:
            self._register(name)

    def _loaded(self) -> set[str]:
        return set(DEFAULT_UNITS) | {f.unit for f in self._failures()}

    def _on_call(self, _conn: Gio.DBusConnection, _sender: str, _path: str, _iface: str, method: str,
                 params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        (name,) = params.unpack()
        if method == "GetUnit" and name not in self._loaded():
            inv.return_dbus_error(NO_SUCH_UNIT, f"Unit {name} not loaded.")
            return
        inv.return_value(GLib.Variant("(o)", (self._register(name),)))

    def _register(self, name: str) -> str:
        path = unit_path(name)
        if path not in self._units.values():
            self._bus.register_object(path, self._node.lookup_interface(UNIT), None,
                                      lambda *args, unit=name: self._on_get_unit(unit, args[-1]), None)
            self._units[name] = path
        return path

    def _on_get_manager(self, *args: Any) -> GLib.Variant:
        failed = any(self.state(u)[1] == "failed" for u in self._loaded())
        return GLib.Variant("s", "degraded" if failed else "running")

    def state(self, unit: str) -> tuple[str, str, str]:
        """(LoadState, ActiveState, SubState) of `unit` in this boot."""
        if unit not in self._loaded():
            return "not-found", "inactive", "dead"
        digest = self._booted_digest()
        mine = [f for f in self._failures() if f.digest == digest]
        if any(f.unit == unit for f in mine):
            return "loaded", "failed", "failed"
        if unit == BOOT_COMPLETE and any(f.blocks_boot_complete for f in mine):
            return "loaded", "inactive", "dead"
        return "loaded", "active", "active" if unit.endswith(".target") else "running"

    def _on_get_unit(self, unit: str, prop: str) -> GLib.Variant:
        load, active, sub = self.state(unit)
        values = {
            "Id": GLib.Variant("s", unit),
            "Names": GLib.Variant("as", [unit]),
            "Description": GLib.Variant("s", unit),
            "LoadState": GLib.Variant("s", load),
            "ActiveState": GLib.Variant("s", active),
            "SubState": GLib.Variant("s", sub),
            "ActiveEnterTimestamp": GLib.Variant("t", self._since if active == "active" else 0),
        }
        return values[prop]
