"""Other clients of rpm-ostreed, played by the simulator: the `busy` fault's transaction and `another-stager`."""
from __future__ import annotations

import sys
import time

from gi.repository import Gio, GLib

import sim_operations as ops
import sim_stager
import sim_state
from sim_names import TRANSACTION
from sim_transaction import Step, StepResult, Transaction


class OtherClients:
    """Other clients' transactions in RpmOstreed (a mixin: the transaction they take is the service's)."""

    def _start_busy_fault(self) -> None:
        """Another client's transaction, already started, that holds the daemon for N seconds."""
        stopped = self.life is not None and not self.life.running
        if stopped or self.faults.busy_seconds <= 0 or (self.txn is not None and not self.txn.closed):
            return
        owner = self._bus.get_unique_name() or ""
        self.txn = Transaction(self._iface(TRANSACTION), "Upgrade",
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
        txn = Transaction(self._iface(TRANSACTION), stager.method,
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
