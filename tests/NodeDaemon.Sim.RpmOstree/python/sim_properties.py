"""rpm-ostreed's properties: Sysroot and OS, PropertiesChanged when they change, and the ObjectManager's view of both."""
from __future__ import annotations

from gi.repository import Gio, GLib

import sim_state
import sim_variants
from sim_names import OS_IFACE, PROPS, SYSROOT, SYSROOT_PATH


class Properties:
    """The property side of RpmOstreed (a mixin: the state it reads is the service's)."""

    def _on_get(self, _conn: Gio.DBusConnection, _sender: str, _path: str, iface: str, name: str) -> GLib.Variant:
        return self._property(iface, name)

    def _property(self, iface: str, name: str) -> GLib.Variant:
        if iface == SYSROOT:
            return self._sysroot_property(name)
        return self._os_property(name)

    def _sysroot_property(self, name: str) -> GLib.Variant:
        txn = self.txn if self.txn and not self.txn.closed else None
        if name == "Booted":
            return GLib.Variant("o", self.os_path)
        if name == "Path":
            return GLib.Variant("s", "/")
        if name == "ActiveTransaction":
            return GLib.Variant("(sss)", (txn.method, txn.sender, self.os_path) if txn else ("", "", ""))
        if name == "ActiveTransactionPath":
            return GLib.Variant("s", txn.address if txn else "")
        if name == "AutomaticUpdatePolicy":
            return GLib.Variant("s", "none")
        return sim_variants.deployments(sim_state.deployments(self.doc))

    def _os_property(self, name: str) -> GLib.Variant:
        if name == "Name":
            return GLib.Variant("s", self.osname)
        pick = {"BootedDeployment": sim_state.booted, "DefaultDeployment": sim_state.default,
                "RollbackDeployment": sim_state.rollback}[name]
        return sim_variants.deployment(pick(self.doc))

    def _managed_objects(self, _sender: str, _params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        objects = {
            SYSROOT_PATH: {SYSROOT: {p.name: self._sysroot_property(p.name) for p in self._iface(SYSROOT).properties}},
            self.os_path: {OS_IFACE: {p.name: self._os_property(p.name) for p in self._iface(OS_IFACE).properties}},
        }
        inv.return_value(GLib.Variant("(a{oa{sa{sv}}})", (objects,)))

    def _changed(self, path: str, iface: str, names: list[str]) -> None:
        values = {n: self._property(iface, n) for n in names}
        self._bus.emit_signal(None, path, PROPS, "PropertiesChanged", GLib.Variant("(sa{sv}as)", (iface, values, [])))

    def _state_changed(self) -> None:
        self._save()
        self._changed(SYSROOT_PATH, SYSROOT, ["Deployments"])
        self._changed(self.os_path, OS_IFACE, ["BootedDeployment", "DefaultDeployment", "RollbackDeployment"])

    def _txn_changed(self) -> None:
        txn = self.txn if self.txn and not self.txn.closed else None
        sim_state.set_transaction(self.doc, [txn.method, txn.sender, self.os_path] if txn else None)
        self._save()
        self._changed(SYSROOT_PATH, SYSROOT, ["ActiveTransaction", "ActiveTransactionPath"])
        self._idle_changed()
