"""A reboot that rpm-ostreed initiated and logind refused (the `reboot-refused` fault), and what follows from it.

rpm-ostree v2026.2: finalize_deployment_transaction_execute (rpmostreed-transaction-types.cxx) unlocks the stage and
calls rpmostreed_daemon_reboot (rpmostreed-daemon.cxx), which sets `rebooting` and, once Finished went out, runs
`systemctl reboot` with g_spawn_sync and no exit status: a refusal by logind (systemd logind-dbus.c,
verify_shutdown_creds: org.freedesktop.login1.BlockedByInhibitorLock, "Operation denied due to active block
inhibitor", e.g. a lock taken after rpm-ostree's own inhibitor check) goes unseen. The transaction succeeded, the stage
stays unlocked, no reboot comes. From then on rpmostreed_sysroot_prep_for_txn refuses every new transaction with
"Reboot initiated, cannot start new transaction" until the process ends: at its idle exit (IdleExitTimeout, 60 s by
default, plus up to 5 s), which only happens with no transaction and no registered client (update_status).
"""
from __future__ import annotations

from typing import Callable, Optional

from gi.repository import GLib

import sim_events
from sim_faults import Faults

LOGIND_BLOCKED = "org.freedesktop.login1.BlockedByInhibitorLock"
LOGIND_BLOCKED_TEXT = "Operation denied due to active block inhibitor"
INITIATED = "Reboot initiated, cannot start new transaction"


class RebootGate:
    """rpm-ostreed's `rebooting` flag after a refused reboot, and its idle exit."""

    def __init__(self, idle: Callable[[], bool], exit_with: Callable[[int], None]) -> None:
        self._idle = idle
        self._exit_with = exit_with
        self._idle_since: Optional[float] = None
        self.initiated = False

    def refused(self, faults: Faults, by: str) -> bool:
        """True when logind refuses the reboot `by` asked for; rpm-ostreed then stays up with `rebooting` set."""
        if not faults.reboot_refused:
            return False
        sim_events.emit("reboot-refused", by=by)
        if by in ("FinalizeDeployment", "Rollback") and not self.initiated:
            self.initiated = True
            GLib.timeout_add(250, lambda: self._tick(faults.idle_exit_seconds))
        return True

    def refusal(self) -> Optional[str]:
        """rpmostreed_sysroot_prep_for_txn's answer to a new transaction, or None to go on."""
        return INITIATED if self.initiated else None

    def _tick(self, idle_exit_seconds: float) -> bool:
        now = GLib.get_monotonic_time() / 1e6
        if not self._idle():
            self._idle_since = None
            return True
        self._idle_since = self._idle_since or now
        if now - self._idle_since >= idle_exit_seconds:
            # Idle exit: a clean exit; D-Bus activation starts a fresh rpm-ostreed on the next call.
            sim_events.emit("idle-exit")
            self._exit_with(0)
            return False
        return True
