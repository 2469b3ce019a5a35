"""The OS methods that start transactions: Rebase (the pull, simulated or from a real registry), FinalizeDeployment, Cleanup, Rollback."""
from __future__ import annotations

import time
from typing import Any, Callable, Optional

from gi.repository import Gio, GLib

import sim_faults
import sim_inhibitors
import sim_operations as ops
import sim_progress
import sim_registry
import sim_state
from sim_transaction import Step, StepResult, Transaction


class OsMethods:
    """The OS methods of RpmOstreed (a mixin: the state they change is the service's)."""

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
            if real is not None and (unknown := real.unknown(spec, registry)) is not None:
                return False, unknown
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
            txn.run([Step(self._ms(100), lambda t: self._apply(lambda: self._do_rollback(t, options)))])

    def _do_rollback(self, txn: Transaction, options: dict[str, Any]) -> None:
        """Reorders, saves, then (option `reboot`) checks the inhibitors and reboots, in rollback_transaction_execute's
        order: the new order is written before an inhibitor lock can refuse the reboot, so it stays."""
        txn.emit("Message", GLib.Variant("(s)", (ops.rollback(self.doc, self.osname),)))
        self._state_changed()
        if not options.get("reboot", False):
            return
        refused = sim_inhibitors.refusal(self.faults.inhibitors)
        if refused is not None:
            raise ops.OperationError(refused)
        if not self._reboot.refused(self.faults, "Rollback"):
            self._request_reboot("Rollback")

    def _apply(self, change: Callable[[], object]) -> StepResult:
        try:
            change()
        except ops.OperationError as error:
            self.doc = sim_state.load(self._state_path)  # a failed step leaves the saved state untouched
            return False, str(error)
        self._state_changed()
        return None
