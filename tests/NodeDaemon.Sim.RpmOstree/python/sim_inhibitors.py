"""The `inhibitor` fault: systemd inhibitor locks as logind lists them, and rpm-ostree's check of them.

logind's `ListInhibitors() -> a(ssssuu)` gives (what, who, why, mode, uid, pid) per lock. rpm-ostree's
`check_sd_inhibitor_locks` (src/daemon/rpmostreed-utils.cxx, v2026.2; since v2021.6, commit 6a483dcb) counts the
locks whose `what` contains "shutdown" and whose mode is "block", and refuses FinalizeDeployment with the first one's
holder and reason. It runs after the checksum check and before the unlock, so a refused stage stays locked.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Optional

import sim_hold


@dataclass
class Inhibitor:
    """One lock: logind's fields, plus how long the fault holds it: `seconds` from when the fault is applied, or
    `refusals` FinalizeDeployment calls it refuses (None for both: until the fault is cleared)."""

    who: str
    why: str
    what: str = "shutdown"
    mode: str = "block"
    uid: int = 0
    pid: int = 4242
    seconds: Optional[float] = None
    refusals: Optional[int] = None
    taken_at: float = 0.0

    def held(self, now: float) -> bool:
        """Whether the lock is still held at monotonic time `now`."""
        return sim_hold.still_held(self.seconds, self.refusals, self.taken_at, now)


def parse(value: Any) -> list[Inhibitor]:
    """`{"who", "why", "what"?, "mode"?, "seconds"?}` or a list of them; the clock starts when the fault is applied."""
    if value is None or value is False:
        return []
    entries = value if isinstance(value, list) else [value]
    now = time.monotonic()
    locks: list[Inhibitor] = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise ValueError("inhibitor must be an object or a list of objects")
        unknown = set(entry) - {"who", "why", "what", "mode", "uid", "pid", "seconds", "refusals"}
        if unknown:
            raise ValueError(f"unknown inhibitor keys: {', '.join(sorted(unknown))}")
        mode = str(entry.get("mode", "block"))
        if mode not in ("block", "delay"):
            raise ValueError("inhibitor mode must be \"block\" or \"delay\"")
        seconds = entry.get("seconds")
        refusals = entry.get("refusals")
        locks.append(Inhibitor(who=str(entry.get("who", "nodedaemon-sim")), why=str(entry.get("why", "")),
                               what=str(entry.get("what", "shutdown")), mode=mode, uid=int(entry.get("uid", 0)),
                               pid=int(entry.get("pid", 4242)), seconds=None if seconds is None else float(seconds),
                               refusals=None if refusals is None else int(refusals), taken_at=now))
    return locks


def listed(locks: list[Inhibitor]) -> list[tuple[str, str, str, str, int, int]]:
    """ListInhibitors' answer: the locks still held."""
    now = time.monotonic()
    return [(lock.what, lock.who, lock.why, lock.mode, lock.uid, lock.pid) for lock in locks if lock.held(now)]


def refusal(locks: list[Inhibitor]) -> Optional[str]:
    """rpm-ostree's error for the held block-mode shutdown locks, or None when there is none; counts a refusal."""
    now = time.monotonic()
    held = [lock for lock in locks if lock.held(now) and "shutdown" in lock.what and lock.mode == "block"]
    for lock in held:
        if lock.refusals is not None:
            lock.refusals -= 1
    blocking = [(lock.what, lock.who, lock.why, lock.mode, lock.uid, lock.pid) for lock in held]
    if not blocking:
        return None
    _what, who, why, _mode, _uid, _pid = blocking[0]
    message = f"Reboot blocked by a systemd inhibitor lock in `block` mode\nHeld by: {who}\nReason: {why}"
    if len(blocking) > 1:
        message += (f"\nand {len(blocking) - 1} other blocking inhibitor lock(s)\n"
                    "Use `systemd-inhibit --list` to see details")
    return message
