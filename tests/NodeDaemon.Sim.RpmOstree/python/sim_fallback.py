"""A fallback boot the host made by itself (the `host-fallback` fault), finished the way greenboot finishes it.

greenboot (fedora-iot/greenboot 6ccf8e9): grub2/08_greenboot.cfg counts boot_counter down on every boot that did not
reach boot-complete.target and, at 0, boots entry 1 (`set default=1`: the ostree deployment after the default) and
sets boot_counter=-1; then greenboot-rpm-ostree-grub2-check-fallback.service (Before=greenboot-healthcheck.service)
sees boot_counter=-1, runs `rpm-ostree rollback` (`bootc rollback` on a bootc host) and unsets the counter. The boot
verb (BootTransition.cs) does the bootloader's part and notes it in the state; this does the service's part when the
simulated host comes up, through the same Rollback rule as the D-Bus method.
"""
from __future__ import annotations

import sim_events
import sim_operations as ops
import sim_state
from sim_state import Document

KEY = "fallback-boot"


def settle(doc: Document, osname: str) -> bool:
    """Runs greenboot's rollback once after a fallback boot that asks for it; True when the document changed."""
    fallback = sim_state.sim(doc).get(KEY)
    if not isinstance(fallback, dict) or fallback.get("settled"):
        return False
    fallback["settled"] = True
    message = ""
    if fallback.get("rollback", True):
        try:
            message = ops.rollback(doc, osname)
        except ops.OperationError as error:
            message = str(error)
    sim_events.emit("host-fallback", digest=fallback.get("digest"), rollback=message)
    return True
