"""rpm-ostreed's idle exit and its D-Bus activation, for the rpm-ostreed part of the simulator.

Upstream (rpm-ostree v2026.2, `src/daemon/rpmostreed-daemon.cxx` `update_status`): with no registered client
(RegisterClient; a client whose bus name vanishes is removed, `on_name_owner_changed`) and no transaction, an
idle-exit timer of `IdleExitTimeout` (rpm-ostreed.conf, default 60) plus 0-4 s at random starts; a client or a
transaction cancels it; when it fires the daemon exits. The next call to `org.projectatomic.rpmostree1` makes the bus
start it again (`org.projectatomic.rpmostree1.service.in`: `Exec=rpm-ostree start-daemon`,
`SystemdService=rpm-ostreed.service`). A call that arrives while it is exiting, but still owns the name, is never
answered: the bus replies `org.freedesktop.DBus.Error.NoReply`, and rpm-ostree's own client retries its
RegisterClient on exactly that (`src/app/rpmostree-clientlib.cxx`).

Here the rpm-ostreed part stops inside the simulator process (its objects are unregistered, its name released, its
clients and transaction forgotten, as a process exit forgets them) while login1 and the control object stay; the
bus activates it again through a real service file in the bus's servicedir whose Exec (`sim_activate.py`) asks the
control object to start the part: it re-reads the state file and owns the name again, as a new rpm-ostreed would.
"""
from __future__ import annotations

import os
import random
import sys
from typing import Callable, Optional

from gi.repository import Gio, GLib

import sim_events

NAME = "org.projectatomic.rpmostree1"
ACTIVATE_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sim_activate.py")
NO_REPLY = "org.freedesktop.DBus.Error.NoReply"
NO_REPLY_TEXT = "Message recipient disconnected from message bus without replying"


def write_service_file(directory: str) -> str:
    """The bus's activation file for the rpm-ostreed part (upstream's keys; Exec is the simulator's)."""
    path = os.path.join(directory, f"{NAME}.service")
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        handle.write("[D-BUS Service]\n"
                     f"Name={NAME}\n"
                     f"Exec=/usr/bin/python3 {ACTIVATE_SCRIPT}\n"
                     "User=root\n"
                     "SystemdService=rpm-ostreed.service\n")
    os.replace(path + ".tmp", path)
    return path


class IdleExit:
    """The idle-exit timer and the stop/start of the rpm-ostreed part."""

    def __init__(self, seconds: Callable[[], float], idle: Callable[[], bool], stop: Callable[[], None],
                 start: Callable[[], None], flush_ms: Callable[[], int] = lambda: 100) -> None:
        self._seconds = seconds
        self._flush_ms = flush_ms
        self._held: list[Gio.DBusMethodInvocation] = []
        self._idle = idle
        self._stop = stop
        self._start = start
        self._timer = 0
        self.running = True
        self.flushing = False

    def update(self) -> None:
        """update_status(): arm the timer when idle, disarm it when not."""
        if not self.running or self.flushing:
            return
        seconds = self._seconds()
        idle = seconds > 0 and self._idle()
        if idle and not self._timer:
            # Upstream adds 0-4 s at random to 60 s; scaled with the timeout when a scenario shortens it.
            jitter = random.uniform(0, 4) * min(seconds / 60.0, 1.0)
            self._timer = GLib.timeout_add(int((seconds + jitter) * 1000), self._fire)
            print(f"In idle state; will auto-exit in {seconds + jitter:.1f} seconds", file=sys.stderr, flush=True)
        elif not idle and self._timer:
            GLib.source_remove(self._timer)
            self._timer = 0

    def rearm(self) -> None:
        """The timeout may have changed (faults re-read): the timer starts again with it."""
        if self._timer:
            GLib.source_remove(self._timer)
            self._timer = 0
        self.update()

    def activate(self) -> bool:
        """Starts the part again (the bus activated it); False when it was running already."""
        if self.running:
            return False
        self.running = True
        self._start()
        sim_events.emit("rpmostreed-activated")
        self.update()
        return True

    def _fire(self) -> bool:
        self._timer = 0
        if not self._idle():
            return False
        # Exiting: the name is still owned a moment, and a call meanwhile is never answered (the bus says NoReply).
        self.flushing = True
        sim_events.emit("rpmostreed-exiting")
        GLib.timeout_add(self._flush_ms(), self._exit)
        return False

    def hold(self, invocation: Gio.DBusMethodInvocation) -> None:
        """A call that reached the exiting daemon: unanswered until it is gone, then the bus's NoReply."""
        self._held.append(invocation)

    def _exit(self) -> bool:
        self.flushing = False
        self.running = False
        self._stop()
        held, self._held = self._held, []
        for invocation in held:
            invocation.return_dbus_error(NO_REPLY, NO_REPLY_TEXT)
        sim_events.emit("rpmostreed-idle-exit")
        print("Exiting due to idle", file=sys.stderr, flush=True)
        return False


def parse_activation_dir(value: Optional[str]) -> Optional[str]:
    """The bus's servicedir, when the bus can activate us; None when it cannot (idle exit is then off)."""
    return value if value and os.path.isdir(value) else None
