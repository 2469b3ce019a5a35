"""rpm-ostreed's bus objects: Sysroot, OS, the ObjectManager, a fake login1 and the simulator's control object."""
from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
from typing import Any, Callable, Optional

from gi.repository import Gio, GLib

import sim_events
import sim_faults
import sim_inhibitors
import sim_idle
import sim_life
import sim_operations as ops
import sim_progress
import sim_reboot
import sim_registry
import sim_stager
import sim_state
import sim_variants
from sim_faults import Faults
from sim_transaction import Step, StepResult, Transaction

ROOT = "/org/projectatomic/rpmostree1"
SYSROOT_PATH = ROOT + "/Sysroot"
SYSROOT = "org.projectatomic.rpmostree1.Sysroot"
OS_IFACE = "org.projectatomic.rpmostree1.OS"
PROPS = "org.freedesktop.DBus.Properties"
REBOOT_EXIT_CODE = 100
UNSUPPORTED = ("Deploy", "Upgrade", "UpdateDeployment")

EXTRA_XML = """<node>
  <interface name="org.freedesktop.DBus.ObjectManager">
    <method name="GetManagedObjects"><arg type="a{oa{sa{sv}}}" name="objects" direction="out"/></method>
    <signal name="InterfacesAdded"><arg type="o" name="object_path"/><arg type="a{sa{sv}}" name="interfaces"/></signal>
    <signal name="InterfacesRemoved"><arg type="o" name="object_path"/><arg type="as" name="interfaces"/></signal>
  </interface>
  <interface name="org.freedesktop.login1.Manager">
    <method name="Reboot"><arg type="b" name="interactive" direction="in"/></method>
    <method name="ListInhibitors"><arg type="a(ssssuu)" name="inhibitors" direction="out"/></method>
  </interface>
  <interface name="org.nodedaemon.Sim1">
    <method name="SetFaults"><arg type="s" name="faults_json" direction="in"/></method>
    <method name="GetFaults"><arg type="s" name="faults_json" direction="out"/></method>
    <method name="GetState"><arg type="s" name="state_json" direction="out"/></method>
    <method name="StartRpmOstreed"/>
  </interface>
</node>"""


class RpmOstreed:
    """The simulated daemon: owns the state document and at most one transaction."""

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

    def _default_osname(self) -> str:
        dep = sim_state.booted(self.doc) or sim_state.default(self.doc)
        return str(dep.get("osname")) if dep else "fedora-coreos"

    # ---- properties ---------------------------------------------------------------------------------------

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

    def _managed_objects(self, _sender: str, _params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        objects = {
            SYSROOT_PATH: {SYSROOT: {p.name: self._sysroot_property(p.name) for p in self._iface(SYSROOT).properties}},
            self.os_path: {OS_IFACE: {p.name: self._os_property(p.name) for p in self._iface(OS_IFACE).properties}},
        }
        inv.return_value(GLib.Variant("(a{oa{sa{sv}}})", (objects,)))

    # ---- transactions -----------------------------------------------------------------------------------

    def _begin(self, sender: str, method: str, params: GLib.Variant, options: dict[str, Any],
               inv: Gio.DBusMethodInvocation, default_title: str) -> Optional[Transaction]:
        """rpmostreed_sysroot_prep_for_txn(): join an identical call, refuse anything else while one runs."""
        if self.txn is not None and not self.txn.closed:
            if self.txn.is_compatible(method, params):
                inv.return_value(GLib.Variant("(s)", (self.txn.address,)))
                return None
            inv.return_error_literal(
                Gio.io_error_quark(), Gio.IOErrorEnum.BUSY,
                f"Transaction in progress: {self.txn.title}\n "
                "You can cancel the current transaction with `rpm-ostree cancel`")
            return None
        if self._reboot.refusal() is not None:
            inv.return_error_literal(Gio.io_error_quark(), Gio.IOErrorEnum.FAILED, self._reboot.refusal())
            return None
        locked = sim_life.lock_refusal(self.faults.sysroot_lock)
        if locked is not None:
            # transaction_initable_init(): ostree_sysroot_try_lock found the lock taken.
            inv.return_error_literal(Gio.io_error_quark(), Gio.IOErrorEnum.BUSY, locked)
            return None
        self._drop_txn()
        title = str(options.get("initiating-command-line") or default_title)
        client = f"client({self._clients.get(sender) or 'unknown'}) dbus({sender}) uid(0)"
        self.txn = Transaction(self._iface("org.projectatomic.rpmostree1.Transaction"), method, params, sender,
                               title, client, self._on_txn_signal, self._on_txn_finished, self._run_dir,
                               self._on_txn_closed)
        self._txn_changed()
        inv.return_value(GLib.Variant("(s)", (self.txn.address,)))
        return self.txn

    def _drop_txn(self) -> None:
        if self.txn is not None:
            self.txn.close()
            self.txn = None

    def _on_txn_signal(self, _txn: Transaction) -> None:
        self._signals += 1
        if self.faults.die_after_signals and self._signals >= self.faults.die_after_signals:
            # The process dies like a crashed rpm-ostreed: no Finished, no state write.
            self._bus.flush_sync(None)
            os._exit(self.faults.die_exit_code)

    def _on_txn_finished(self, txn: Transaction) -> None:
        self._txn_changed()
        # on_txn_executed_changed(): peers that never close are closed for them after FORCE_CLOSE_TXN_TIMEOUT_SECS.
        seconds = self.faults.lifecycle.force_close_seconds
        GLib.timeout_add(int(seconds * 1000), lambda: self._force_close(txn))
        if sim_state.sim(self.doc).get("reboot-requested") and txn.finished and txn.finished[0]:
            self._exit_soon()

    def _force_close(self, txn: Transaction) -> bool:
        if not txn.closed:
            print(f"Forcibly closing transaction due to timeout: {txn.title}", file=sys.stderr, flush=True)
            txn.force_close()
        return False

    def _on_txn_closed(self, txn: Transaction) -> None:
        """rpmostreed_sysroot_finish_txn(): the transaction is no longer the sysroot's; its socket goes."""
        if self.txn is txn:
            self.txn = None
            self._txn_changed()
        txn.close()

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

    def _ms(self, base: int) -> int:
        speed = self.faults.speed or self._speed
        return int(base / speed) if speed > 0 else base

    # ---- OS methods -------------------------------------------------------------------------------------

    def _rebase(self, sender: str, params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        options, refspec, packages = params.unpack()
        txn = self._begin(sender, "Rebase", params, options, inv, "rebase")
        if txn is None:
            return
        spec = ops.pullspec(refspec)
        if spec is None:
            txn.run([Step(0, lambda _t: (False, f"nodedaemon-sim simulates container image refspecs only: {refspec}"))])
            return
        txn.run([Step(0, lambda _t: self._plan_pull(txn, options, refspec, spec, list(packages)))])

    def _plan_pull(self, txn: Transaction, options: dict[str, Any], refspec: str, spec: str,
                   packages: list[str]) -> StepResult:
        """Runs at Start(): checks, then schedules the pull's progress (or its failure)."""
        try:
            ops.check_rebase(self.doc, refspec)
            shown = ops.canonical(refspec)
            if self.faults.pull_hang:
                txn.run(sim_progress.hang_steps(shown))
                return None
            if self.faults.take_pull_failure():
                registry = ops.split_tag(spec)[0].split("/", 1)[0]
                message = self.faults.pull_fail_message.replace("{registry}", registry)
                txn.run([Step(self._ms(300), lambda _t: (False, message))])
                return None
            registry = ops.load_registry(self._registry_path)
            real = sim_registry.RealRegistry.load(registry)
            if real is not None and real.serves(spec):
                txn.run(sim_registry.pull_steps(real, spec, shown, self._ms(1500),
                                                lambda image: self._staged(options, refspec, image, packages)))
                return None
            image = ops.resolve(spec, registry)
        except ops.OperationError as error:
            return False, str(error)
        if self.faults.digest_moved is not None:
            mismatch = ops.digest_mismatch(spec)
            if mismatch is not None:
                return False, mismatch
            image.digest = ops.moved_digest(image, self.faults.digest_moved)
        txn.run(sim_progress.pull_steps(shown, image.digest, self._ms(1500),
                                        lambda _t: self._staged(options, refspec, image, packages),
                                        byte_signals=self.faults.progress == "ostree"))
        return None

    def _staged(self, options: dict[str, Any], refspec: str, image: ops.Image, packages: list[str]) -> StepResult:
        locked = bool(options.get("lock-finalization", False))
        ops.stage(self.doc, self.osname, refspec, image.digest, image.version, packages, locked, int(time.time()))
        if options.get("reboot", False) and not locked:
            self._request_reboot("Rebase")
        self._state_changed()
        return None

    def _finalize(self, sender: str, params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        (options,) = params.unpack()
        txn = self._begin(sender, "FinalizeDeployment", params, options, inv, "finalize-deployment")
        if txn is not None:
            txn.run([Step(self._ms(100), lambda _t: self._apply(lambda: self._do_finalize(options)))])

    def _do_finalize(self, options: dict[str, Any]) -> None:
        def checked() -> Optional[str]:
            refused = sim_inhibitors.refusal(self.faults.inhibitors)
            if refused is None:
                sim_faults.die_in_finalize(self.faults, "before-unlock", self._save)
            return refused
        ops.finalize(self.doc, self.osname, options, self.faults.finalize_compares, checked)
        sim_faults.die_in_finalize(self.faults, "after-unlock", self._save)
        if not self._reboot.refused(self.faults, "FinalizeDeployment"):
            self._request_reboot("FinalizeDeployment")

    def _cleanup(self, sender: str, params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        (elements,) = params.unpack()
        txn = self._begin(sender, "Cleanup", params, {}, inv, "cleanup")
        if txn is not None:
            txn.run([Step(self._ms(100), lambda _t: self._apply(lambda: ops.cleanup(self.doc, self.osname,
                                                                                   list(elements))))])

    def _rollback(self, sender: str, params: GLib.Variant, inv: Gio.DBusMethodInvocation) -> None:
        (options,) = params.unpack()
        txn = self._begin(sender, "Rollback", params, options, inv, "rollback")
        if txn is not None:
            txn.run([Step(self._ms(100), lambda t: self._apply(lambda: t.emit(
                "Message", GLib.Variant("(s)", (ops.rollback(self.doc),)))))])

    def _apply(self, change: Callable[[], object]) -> StepResult:
        try:
            change()
        except ops.OperationError as error:
            self.doc = sim_state.load(self._state_path)  # a failed step leaves the saved state untouched
            return False, str(error)
        self._state_changed()
        return None

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
        self._signals = 0
        self._save()
        if self.life is not None:
            self.life.rearm()
        self._start_busy_fault()
        self._start_other_stager()
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
        self._signals = 0
        self._save()
        if self.life is not None:
            self.life.rearm()
        self._start_busy_fault()
        self._start_other_stager()

    def _start_busy_fault(self) -> None:
        """Another client's transaction, already started, that holds the daemon for N seconds."""
        stopped = self.life is not None and not self.life.running
        if stopped or self.faults.busy_seconds <= 0 or (self.txn is not None and not self.txn.closed):
            return
        owner = self._bus.get_unique_name() or ""
        self.txn = Transaction(self._iface("org.projectatomic.rpmostree1.Transaction"), "Upgrade",
                               GLib.Variant("(a{sv})", ({},)), owner, self.faults.busy_title,
                               f"client(id:fault) dbus({owner}) uid(0)", self._on_txn_signal, self._on_txn_finished, self._run_dir,
                               self._on_txn_closed)
        self.txn.run([Step(int(self.faults.busy_seconds * 1000), lambda _t: None)])
        self.txn.start()
        self._txn_changed()
        self._linger_busy_peer(self.txn)

    def _linger_busy_peer(self, txn: Transaction) -> None:
        """The busy client's own peer connection: open while it runs and `lingers` seconds after (None: for good)."""
        lingers = self.faults.busy_lingers
        if lingers is not None and lingers <= 0:
            return

        def connected(_source: object, result: Gio.AsyncResult) -> None:
            self._busy_peer = Gio.DBusConnection.new_for_address_finish(result)
            if lingers is not None:
                peer = self._busy_peer

                def hang_up() -> bool:
                    if not peer.is_closed():
                        peer.close_sync(None)
                    return False

                GLib.timeout_add(int((self.faults.busy_seconds + lingers) * 1000), hang_up)

        Gio.DBusConnection.new_for_address(txn.address, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT, None, None,
                                           connected)

    def _start_other_stager(self) -> None:
        """`another-stager`: another client's transaction that stages a deployment of its own (once per process)."""
        stager = self.faults.other_stager
        if stager is None or stager.key() in self._stagers_done:
            return
        if sim_state.staged(self.doc) is None or (self.txn is not None and not self.txn.closed):
            # It replaces a stage (none yet: it waits for one); its call would be answered BUSY: it tries again.
            GLib.timeout_add(500, lambda: self._start_other_stager() or False)
            return
        self._stagers_done.add(stager.key())
        owner = self._bus.get_unique_name() or ""
        txn = Transaction(self._iface("org.projectatomic.rpmostree1.Transaction"), stager.method,
                          GLib.Variant("(a{sv})", ({},)), owner, stager.by,
                          f"client(id:{stager.by}) dbus({owner}) uid(0)", self._on_txn_signal, self._on_txn_finished,
                          self._run_dir, self._on_txn_closed)

        def stage(_t: Transaction) -> StepResult:
            refspec, digest = sim_stager.target(self.doc, stager)
            ops.stage(self.doc, self.osname, refspec, digest, stager.version, [], stager.locked, int(time.time()))
            print(f"{stager.by} staged {refspec} at {digest} (locked: {stager.locked})", file=sys.stderr, flush=True)
            self._state_changed()
            return None

        txn.run([Step(int(stager.seconds * 1000), stage)])
        self.txn = txn
        txn.start()
        self._txn_changed()
