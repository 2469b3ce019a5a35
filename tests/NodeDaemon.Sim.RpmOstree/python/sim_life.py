"""rpm-ostreed's own life: how long a finished transaction lingers, the sysroot lock held by someone else, and the
timing knobs of both (`sysroot-locked`, `lifecycle` fault keys; see docs/simulator.md).

Upstream (rpm-ostree v2026.2):
- `src/daemon/rpmostreed-transaction.cxx`: a transaction is "closed" (and `ActiveTransaction` cleared by
  `rpmostreed_sysroot_finish_txn`) only when it has executed *and* no peer connection is left
  (`transaction_maybe_emit_closed`); `transaction_initable_init` takes the sysroot lock with
  `ostree_sysroot_try_lock` and fails with G_IO_ERROR_BUSY "System transaction in progress" when someone else
  (`ostree admin`, bootc, another rpm-ostreed) holds it.
- `src/daemon/rpmostreed-sysroot.cxx`: `FORCE_CLOSE_TXN_TIMEOUT_SECS 30`: once executed, the transaction is
  force-closed (server stopped, peers closed) after 30 s.
- `src/daemon/rpmostreed-daemon.cxx`: `IdleExitTimeout` default 60 s (+ 0-4 s random) with no registered client
  and no transaction.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Any, Optional

import sim_hold

SYSROOT_LOCKED = "System transaction in progress"
FORCE_CLOSE_SECONDS = 30.0
IDLE_EXIT_SECONDS = 60.0


@dataclass
class SysrootLock:
    """The ostree sysroot lock held by another program: `seconds` from when the fault is applied, or for `refusals`
    transactions it refuses (None for both: until the fault is lifted)."""

    by: str = "ostree admin"
    seconds: Optional[float] = None
    refusals: Optional[int] = None
    taken_at: float = 0.0

    def held(self, now: float) -> bool:
        """Whether the lock is still held at monotonic time `now`."""
        return sim_hold.still_held(self.seconds, self.refusals, self.taken_at, now)


@dataclass
class Lifecycle:
    """Timing of rpm-ostreed's life: upstream's values unless a scenario scales them."""

    force_close_seconds: float = FORCE_CLOSE_SECONDS
    idle_exit_seconds: float = IDLE_EXIT_SECONDS
    # How long the exiting daemon still owns its name (calls then get NoReply); a test widens the window.
    exit_flush_ms: int = 100


def parse_lock(value: Any) -> Optional[SysrootLock]:
    """`true` (held until lifted) or `{"seconds"?, "refusals"?, "by"?}`; the clock starts when the fault is applied."""
    if value is None or value is False:
        return None
    lock = SysrootLock(taken_at=time.monotonic())
    if isinstance(value, dict):
        unknown = set(value) - {"seconds", "refusals", "by"}
        if unknown:
            raise ValueError(f"unknown sysroot-locked keys: {', '.join(sorted(unknown))}")
        if value.get("seconds") is not None:
            lock.seconds = float(value["seconds"])
        if value.get("refusals") is not None:
            lock.refusals = int(value["refusals"])
        lock.by = str(value.get("by", lock.by))
    return lock


def parse_lifecycle(value: Any) -> Lifecycle:
    """`{"force-close-seconds"?, "idle-exit-seconds"?, "exit-flush-ms"?}`; 0 idle seconds disables the idle exit (as
    upstream's 0)."""
    life = Lifecycle()
    if value is None:
        return life
    unknown = set(value) - {"force-close-seconds", "idle-exit-seconds", "exit-flush-ms"}
    if unknown:
        raise ValueError(f"unknown lifecycle keys: {', '.join(sorted(unknown))}")
    life.force_close_seconds = float(value.get("force-close-seconds", life.force_close_seconds))
    life.idle_exit_seconds = float(value.get("idle-exit-seconds", life.idle_exit_seconds))
    life.exit_flush_ms = int(value.get("exit-flush-ms", life.exit_flush_ms))
    return life


def lock_refusal(lock: Optional[SysrootLock]) -> Optional[str]:
    """The BUSY text a new transaction gets while the lock is held (counting the refusal), else None."""
    if lock is None or not lock.held(time.monotonic()):
        return None
    if lock.refusals is not None:
        lock.refusals -= 1
    print(f"sysroot locked by {lock.by}: {SYSROOT_LOCKED}", file=sys.stderr, flush=True)
    return SYSROOT_LOCKED
