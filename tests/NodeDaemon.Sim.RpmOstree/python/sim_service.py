"""rpm-ostreed's bus objects: Sysroot, OS, the ObjectManager, a fake login1 and the simulator's control object."""
from __future__ import annotations

import dataclasses
import json
import sys
import time
from typing import Callable, Optional

from gi.repository import Gio, GLib

import sim_events
import sim_fallback
import sim_faults
import sim_inhibitors
import sim_idle
import sim_reboot
import sim_state
import sim_systemd
from sim_faults import Faults
from sim_names import EXTRA_XML, OS_IFACE, ROOT, SYSROOT, SYSROOT_PATH
from sim_os_methods import OsMethods
from sim_other_clients import OtherClients
from sim_properties import Properties
from sim_sysroot_txn import SysrootTransactions
from sim_transaction import Transaction

REBOOT_EXIT_CODE = 100
UNSUPPORTED = ("Deploy", "Upgrade", "UpdateDeployment")


class RpmOstreed(Properties, SysrootTransactions, OsMethods, OtherClients):
    """The simulated daemon: owns the state document and at most one transaction.

    Its properties, its transaction, its OS methods and the other clients it plays are in the mixins named above;
    the state they share is set here.
    """

    def __init__(self, connection: Gio.DBusConnection, spec_xml: str, state_path: str, osname: Optional[str],
                 registry_path: Optional[str], faults_path: Optional[str], speed: float,
                 exit_with: Callable[[int], None], run_dir: str) -> None:
        self._bus = connection
        self._nodes = Gio.DBusNodeInfo.new_for_xml(spec_xml)
        self._extra = Gio.DBusNodeInfo.new_for_xml(EXTRA_XML)
        self._state_path = state_path
        self._registry_path = registry_path
        self._faults_path = faults_path
        self._speed = speed
        self._exit_with = exit_with
        self._run_dir = run_dir
        self.doc = sim_state.load(state_path)
        self.osname = osname or self._default_osname()
        self.os_path = f"{ROOT}/{self.osname.replace('-', '_')}"
        self.faults: Faults = sim_faults.load(faults_path)
        self.txn: Optional[Transaction] = None
        self._clients: dict[str, str] = {}
        self._signals = 0
        self._reboot = sim_reboot.RebootGate(lambda: not self._clients and (self.txn is None or self.txn.finished is not None),
                                             exit_with)
        self._busy_peer: Optional[Gio.DBusConnection] = None
        self._stagers_done: set[str] = set()
        self._registrations: list[int] = []
        self.life: Optional[sim_idle.IdleExit] = None
        # A restarted daemon has no transaction, whatever the previous process left behind.
        sim_state.set_transaction(self.doc, None)
        sim_fallback.settle(self.doc, self.osname)
        self._save()

    # ---- setup -------------------------------------------------------------------------------------------

    def export(self) -> None:
        """Registers every object; names are requested afterwards so a client never sees a half-built service."""
        self._export_rpmostreed()
        register = self._bus.register_object
        register("/org/freedesktop/login1", self._extra.lookup_interface("org.freedesktop.login1.Manager"),
                 self._on_call, None, None)
        register("/org/nodedaemon/Sim1", self._extra.lookup_interface("org.nodedaemon.Sim1"), self._on_call, None,
                 None)
        sim_systemd.FakeSystemd(self._bus, self._booted_digest, lambda: self.faults.unit_failures).export()
        self._bus.signal_subscribe("org.freedesktop.DBus", "org.freedesktop.DBus", "NameOwnerChanged",
                                   "/org/freedesktop/DBus", None, Gio.DBusSignalFlags.NONE, self._on_name_owner, None)
        self._start_busy_fault()
        self._start_other_stager()

    def _export_rpmostreed(self) -> None:
        register = self._bus.register_object
        self._registrations = [
            register(SYSROOT_PATH, self._iface(SYSROOT), self._on_call, self._on_get, None),
            register(self.os_path, self._iface(OS_IFACE), self._on_call, self._on_get, None),
            register(ROOT, self._extra.lookup_interface("org.freedesktop.DBus.ObjectManager"), self._on_call, None,
                     None),
        ]

    def stop_rpmostreed(self) -> None:
        """The rpm-ostreed part exits: its objects go, and it forgets its clients and any transaction."""
        for registration in self._registrations:
            self._bus.unregister_object(registration)
        self._registrations = []
        self._clients.clear()
        self._drop_txn()

    def start_rpmostreed(self) -> None:
        """A new rpm-ostreed: reads the sysroot (the state file) afresh and exports its objects."""
        # A new process: the `rebooting` flag of a refused reboot went with the old one.
        self._reboot = sim_reboot.RebootGate(lambda: not self._clients and (self.txn is None or self.txn.finished is not None),
                                             self._exit_with)
        self.doc = sim_state.load(self._state_path)
        sim_state.set_transaction(self.doc, None)
        self._save()
        self._export_rpmostreed()

    def is_idle(self) -> bool:
        """No registered client and no transaction (update_status's `currently_idle`)."""
        return not self._clients and (self.txn is None or self.txn.closed)

    def _idle_changed(self) -> None:
        if self.life is not None:
            self.life.update()

    def _iface(self, name: str) -> Gio.DBusInterfaceInfo:
        return self._nodes.lookup_interface(name)

    def _booted_digest(self) -> Optional[str]:
        dep = sim_state.booted(self.doc)
        return str(dep["container-image-reference-digest"]) if dep and dep.get("container-image-reference-digest") else None

    def _default_osname(self) -> str:
        dep = sim_state.booted(self.doc) or sim_state.default(self.doc)
        return str(dep.get("osname")) if dep else "fedora-coreos"

    def _save(self) -> None:
        # The boot verb has no faults file of its own to read: the service tells it through the state.
        sim_state.sim(self.doc)["finalization-lost"] = self.faults.finalization_lost
        sim_state.save(self._state_path, self.doc)

    # ---- method dispatch ------------------------------------------------------------------------------------

    def _on_call(self, _conn: Gio.DBusConnection, sender: str, _path: str, iface: str, method: str,
                 params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        try:
            if self.life is not None and self.life.flushing and not iface.startswith(("org.freedesktop.login1",
                                                                                      "org.nodedaemon")):
                self.life.hold(inv)
                return
            handler = self._handlers().get((iface, method))
            if handler is None:
                inv.return_dbus_error("org.freedesktop.DBus.Error.UnknownMethod", f"No such method {method}")
                return
            handler(sender, params, inv)
        except Exception as error:  # noqa: BLE001 - a bug in the simulator must reach the test as a D-Bus error
            inv.return_dbus_error("org.nodedaemon.Sim1.Error.Internal", f"{type(error).__name__}: {error}")

    def _handlers(self) -> dict[tuple[str, str], Callable[[str, GLib.Variant, Gio.DBusMethodInvocation], None]]:
        return {
            (SYSROOT, "GetOS"): self._get_os,
            (SYSROOT, "Reload"): self._reload,
            (SYSROOT, "ReloadConfig"): lambda _s, _p, inv: inv.return_value(None),
            (SYSROOT, "RegisterClient"): self._register_client,
            (SYSROOT, "UnregisterClient"): self._unregister_client,
            (OS_IFACE, "Rebase"): self._rebase,
            (OS_IFACE, "FinalizeDeployment"): self._finalize,
            (OS_IFACE, "Cleanup"): self._cleanup,
            (OS_IFACE, "Rollback"): self._rollback,
            **{(OS_IFACE, m): self._unsupported(m) for m in UNSUPPORTED},
            ("org.freedesktop.DBus.ObjectManager", "GetManagedObjects"): self._managed_objects,
            ("org.freedesktop.login1.Manager", "Reboot"): self._login1_reboot,
            ("org.freedesktop.login1.Manager", "ListInhibitors"): lambda _s, _p, inv: inv.return_value(
                GLib.Variant("(a(ssssuu))", (sim_inhibitors.listed(self.faults.inhibitors),))),
            ("org.nodedaemon.Sim1", "SetFaults"): self._set_faults,
            ("org.nodedaemon.Sim1", "GetFaults"): self._get_faults,
            ("org.nodedaemon.Sim1", "GetState"): lambda _s, _p, inv: inv.return_value(
                GLib.Variant("(s)", (json.dumps(self.doc),))),
            ("org.nodedaemon.Sim1", "StartRpmOstreed"): self._start_rpmostreed_call,
        }

    def _get_os(self, _sender: str, params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        name = params.unpack()[0]
        if name not in ("", self.osname):
            inv.return_error_literal(Gio.io_error_quark(), Gio.IOErrorEnum.NOT_FOUND, f"OS name \"{name}\" not found")
            return
        inv.return_value(GLib.Variant("(o)", (self.os_path,)))

    def _reload(self, _sender: str, _params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        current = self.doc.get("transaction")
        self.doc = sim_state.load(self._state_path)
        sim_state.set_transaction(self.doc, current)
        self._state_changed()
        inv.return_value(None)

    def _register_client(self, sender: str, params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        self._clients[sender] = str(params.unpack()[0].get("id", ""))
        self._idle_changed()
        inv.return_value(None)

    def _unregister_client(self, sender: str, _params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        self._clients.pop(sender, None)
        self._idle_changed()
        inv.return_value(None)

    def _start_rpmostreed_call(self, _sender: str, _params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        if self.life is not None:
            self.life.activate()
        inv.return_value(None)

    def _unsupported(self, method: str) -> Callable[[str, GLib.Variant, Gio.DBusMethodInvocation], None]:
        def handler(_sender: str, _params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
            inv.return_dbus_error("org.freedesktop.DBus.Error.NotSupported",
                                  f"{method} is not supported by the simulator (nodedaemon-sim)")
        return handler

    def _on_name_owner(self, _conn: Gio.DBusConnection, _sender: str, _path: str, _iface: str, _signal: str,
                       params: GLib.Variant, _data: object) -> None:
        name, _old, new = params.unpack()
        if new:
            return
        self._clients.pop(name, None)
        if self.txn is not None and self.txn.sender == name and not self.txn.started:
            self._drop_txn()
            self._txn_changed()
        self._idle_changed()

    # ---- reboot, faults --------------------------------------------------------------------------------

    def _request_reboot(self, by: str) -> None:
        sim_state.sim(self.doc)["reboot-requested"] = {"by": by, "at": int(time.time())}
        sim_events.emit("reboot-requested", by=by)

    def _exit_soon(self) -> None:
        """A reboot ends rpm-ostreed: exit with 100 once the client had time to read Finished."""
        GLib.timeout_add(200, lambda: self._exit_with(REBOOT_EXIT_CODE) or False)

    def _login1_reboot(self, _sender: str, _params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        if self._reboot.refused(self.faults, "org.freedesktop.login1.Manager.Reboot"):
            inv.return_dbus_error(sim_reboot.LOGIND_BLOCKED, sim_reboot.LOGIND_BLOCKED_TEXT)
            return
        self._request_reboot("org.freedesktop.login1.Manager.Reboot")
        self._save()
        inv.return_value(None)
        self._exit_soon()

    def _set_faults(self, _sender: str, params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        try:
            self.faults = sim_faults.parse(params.unpack()[0])
        except (ValueError, TypeError, AttributeError) as error:
            inv.return_dbus_error("org.freedesktop.DBus.Error.InvalidArgs", str(error))
            return
        self._faults_changed()
        inv.return_value(None)

    def _get_faults(self, _sender: str, _params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        inv.return_value(GLib.Variant("(s)", (json.dumps(dataclasses.asdict(self.faults)),)))

    def reload_faults(self) -> None:
        """SIGHUP: re-read the --faults file; a broken file keeps the previous faults and says why on stderr."""
        try:
            self.faults = sim_faults.load(self._faults_path)
        except (OSError, ValueError, TypeError, AttributeError) as error:
            print(f"faults file not applied: {error}", file=sys.stderr, flush=True)
            return
        self._faults_changed()

    def _faults_changed(self) -> None:
        """New faults apply from now: signal counts start over, the state is saved, timed faults start again."""
        self._signals = 0
        self._save()
        if self.life is not None:
            self.life.rearm()
        self._start_busy_fault()
        self._start_other_stager()



