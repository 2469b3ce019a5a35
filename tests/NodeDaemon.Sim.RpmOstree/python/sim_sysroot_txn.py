"""The sysroot's one transaction: rpmostreed_sysroot_prep_for_txn's join-or-refuse, its end, its force-close, a client gone."""
from __future__ import annotations

import os
import sys
from typing import Any, Optional

from gi.repository import Gio, GLib

import sim_life
import sim_state
from sim_names import TRANSACTION
from sim_transaction import Transaction


class SysrootTransactions:
    """The transaction side of RpmOstreed (a mixin: the state it reads is the service's)."""

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
        self.txn = Transaction(self._iface(TRANSACTION), method, params, sender,
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

    def _ms(self, base: int) -> int:
        speed = self.faults.speed or self._speed
        return int(base / speed) if speed > 0 else base
