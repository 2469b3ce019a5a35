"""Fault knobs: what the simulated host does wrong, read from --faults and changeable at run time.

Every knob is optional; an empty object `{}` is a healthy host. See docs/simulator.md for the format.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import sim_events
import sim_inhibitors
import sim_life
import sim_stager
import sim_systemd
from sim_inhibitors import Inhibitor
from sim_life import Lifecycle, SysrootLock
from sim_stager import OtherStager

DEFAULT_PULL_FAILURE = (
    "Fetching manifest: failed to invoke method OpenImage: "
    "pinging container registry {registry}: Get \"https://{registry}/v2/\": dial tcp: i/o timeout"
)


@dataclass
class Faults:
    """The active fault knobs, plus the counters they consume."""

    speed: Optional[float] = None
    pull_fail_count: int = 0
    pull_fail_message: str = DEFAULT_PULL_FAILURE
    pull_hang: bool = False
    busy_seconds: float = 0.0
    busy_title: str = "automatic-update"
    # After Finished, the busy client keeps its peer connection this long (None: it never closes it).
    busy_lingers: Optional[float] = 0.0
    die_after_signals: int = 0
    die_exit_code: int = 99
    finalization_lost: bool = False
    digest_moved: Optional[str] = None
    finalize_compares: str = "digest"
    progress: str = "container"
    inhibitors: list[Inhibitor] = field(default_factory=list)
    die_in_finalize: Optional[str] = None
    reboot_refused: bool = False
    idle_exit_seconds: float = 60.0
    sysroot_lock: Optional[SysrootLock] = None
    lifecycle: Lifecycle = field(default_factory=Lifecycle)
    other_stager: Optional[OtherStager] = None
    unit_failures: list[sim_systemd.UnitFailure] = field(default_factory=list)
    pull_failures_served: int = field(default=0, compare=False)

    def take_pull_failure(self) -> bool:
        """True while the configured number of failed pulls has not been served yet."""
        if self.pull_failures_served < self.pull_fail_count:
            self.pull_failures_served += 1
            return True
        return False


def parse(text: str) -> Faults:
    """Parses the faults JSON; unknown keys are rejected so a typo never silently disables a fault."""
    raw: dict[str, Any] = json.loads(text) if text.strip() else {}
    known = {"speed", "pull-fail", "pull-hang", "busy", "die", "finalization-lost", "digest-moved",
             "finalize-compares", "progress", "inhibitor", "die-in-finalize", "reboot-refused", "sysroot-locked",
             "lifecycle", "another-stager", "host-fallback", "unit-failed"}
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"unknown fault keys: {', '.join(sorted(unknown))}")
    faults = Faults()
    if "speed" in raw:
        faults.speed = float(raw["speed"])
    _parse_pull_fail(raw.get("pull-fail"), faults)
    faults.pull_hang = bool(raw.get("pull-hang", False))
    busy = raw.get("busy") or {}
    faults.busy_seconds = float(busy.get("seconds", 0))
    faults.busy_title = str(busy.get("title", faults.busy_title))
    lingers = busy.get("lingers", 0)
    faults.busy_lingers = None if lingers is True else float(lingers or 0)
    die = raw.get("die") or {}
    faults.die_after_signals = int(die.get("after-signals", 0))
    faults.die_exit_code = int(die.get("exit-code", 99))
    faults.finalization_lost = bool(raw.get("finalization-lost", False))
    _parse_digest_moved(raw.get("digest-moved"), faults)
    faults.finalize_compares = str(raw.get("finalize-compares", "digest"))
    if faults.finalize_compares not in ("digest", "commit"):
        raise ValueError("finalize-compares must be \"digest\" or \"commit\"")
    faults.progress = str(raw.get("progress", "container"))
    if faults.progress not in ("container", "ostree"):
        raise ValueError("progress must be \"container\" or \"ostree\"")
    faults.inhibitors = sim_inhibitors.parse(raw.get("inhibitor"))
    _parse_finalize_faults(raw, faults)
    faults.sysroot_lock = sim_life.parse_lock(raw.get("sysroot-locked"))
    faults.lifecycle = sim_life.parse_lifecycle(raw.get("lifecycle"))
    faults.other_stager = sim_stager.parse(raw.get("another-stager"))
    # host-fallback is the boot verb's (BootTransition.cs); only its presence is accepted here.
    faults.unit_failures = sim_systemd.parse(raw.get("unit-failed"))
    return faults


# Where FinalizeDeployment can die (rpmostreed-transaction-types.cxx, finalize_deployment_transaction_execute, v2026.2):
# after the checksum and inhibitor checks and before ostree_sysroot_change_finalization (the stage stays locked), or
# after the unlock and before rpmostreed_daemon_reboot queues `systemctl reboot` (unlocked, and no reboot comes).
FINALIZE_DEATHS = ("before-unlock", "after-unlock")


def _parse_finalize_faults(raw: dict[str, Any], faults: Faults) -> None:
    point = raw.get("die-in-finalize")
    if point is not None:
        if point not in FINALIZE_DEATHS:
            raise ValueError(f"die-in-finalize must be one of {', '.join(FINALIZE_DEATHS)}")
        faults.die_in_finalize = str(point)
    refused = raw.get("reboot-refused")
    if isinstance(refused, dict):
        faults.reboot_refused = True
        faults.idle_exit_seconds = float(refused.get("idle-exit-seconds", 60))
    else:
        faults.reboot_refused = bool(refused or False)


def die_in_finalize(faults: Faults, point: str, save: Callable[[], None]) -> None:
    """Ends the process at `point` of FinalizeDeployment when the fault says so: what was done so far is on disk (the
    unlock is a file under /run/ostree, which a restart of rpm-ostreed does not undo), no Finished is sent."""
    if faults.die_in_finalize != point:
        return
    save()
    sim_events.emit("died", point=point)
    os._exit(faults.die_exit_code)


def load(path: Optional[str]) -> Faults:
    """Reads the faults file, or a healthy host without one."""
    if not path:
        return Faults()
    with open(path, encoding="utf-8") as handle:
        return parse(handle.read())


def _parse_pull_fail(value: Any, faults: Faults) -> None:
    if value is None:
        return
    if isinstance(value, int):
        faults.pull_fail_count = value
        return
    faults.pull_fail_count = int(value.get("count", 1))
    faults.pull_fail_message = str(value.get("message", DEFAULT_PULL_FAILURE))


def _parse_digest_moved(value: Any, faults: Faults) -> None:
    if value is None or value is False:
        return
    if value is True:
        faults.digest_moved = ""
    else:
        faults.digest_moved = str(value.get("digest", "")) if isinstance(value, dict) else str(value)
