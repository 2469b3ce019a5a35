"""One rpm-ostreed transaction: a private peer-to-peer GDBusServer serving org.projectatomic.rpmostree1.Transaction.

As in rpmostreed-transaction.cxx, nothing runs before Start(); progress is a series of signals on every peer
connection; the end is Finished(success, message); a Start() after the end returns false and repeats Finished.
The transaction stays the sysroot's (ActiveTransaction) after Finished until every peer has closed its connection
(transaction_maybe_emit_closed), or until the service force-closes it (sim_life).
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import Callable, Optional

from gi.repository import Gio, GLib

import sim_events

IFACE = "org.projectatomic.rpmostree1.Transaction"
CANCELLED = "Operation was cancelled"

# A step returns None to go on, or (success, message) to finish the transaction early.
StepResult = Optional[tuple[bool, str]]


@dataclass
class Step:
    """One scheduled piece of a transaction's work; delay_ms None means wait forever (a hung pull)."""

    delay_ms: Optional[int]
    action: Callable[["Transaction"], StepResult]


class Transaction:
    """A transaction and its peer-to-peer server."""

    def __init__(self, info: Gio.DBusInterfaceInfo, method: str, parameters: GLib.Variant, sender: str,
                 title: str, client: str, on_signal: Callable[["Transaction"], None],
                 on_finished: Callable[["Transaction"], None], run_dir: str,
                 on_closed: Optional[Callable[["Transaction"], None]] = None) -> None:
        self.method = method
        self.parameters = parameters
        self.sender = sender
        self.title = title
        self._client = client
        self._info = info
        self._on_signal = on_signal
        self._on_finished = on_finished
        self._on_closed_cb = on_closed
        self.closed = False
        self._steps: list[Step] = []
        self._connections: list[Gio.DBusConnection] = []  # PyGObject closes a connection nobody references
        self._timer = 0
        self.started = False
        self.finished: Optional[tuple[bool, str]] = None
        self._dir = tempfile.mkdtemp(prefix="txn-", dir=run_dir)
        self._socket = os.path.join(self._dir, "transaction.sock")
        self._server = Gio.DBusServer.new_sync(f"unix:path={self._socket}", Gio.DBusServerFlags.NONE,
                                               Gio.dbus_generate_guid(), None, None)
        self._server.connect("new-connection", self._on_new_connection)
        self._server.start()
        self.address: str = self._server.get_client_address()

    def is_compatible(self, method: str, parameters: GLib.Variant) -> bool:
        """rpmostreed_transaction_is_compatible(): same method, equal arguments (the caller does not matter; a
        finished transaction whose peers linger is joined too, and its Start() repeats Finished)."""
        return not self.closed and method == self.method and parameters.equal(self.parameters)

    def run(self, steps: list[Step]) -> None:
        """Sets the work that Start() will begin."""
        self._steps = list(steps)

    def start(self) -> bool:
        """Starts the work once; later calls return False (and re-send Finished if it is over)."""
        if self.started:
            if self.finished is not None:
                self._emit_all("Finished", GLib.Variant("(bs)", self.finished))
            return False
        self.started = True
        sim_events.emit("transaction-started", method=self.method, title=self.title)
        self._schedule_next()
        return True

    def cancel(self) -> None:
        """Stops the work at the next step boundary; Finished(false) follows at once."""
        if self.finished is None:
            self._clear_timer()
            self.finish(False, CANCELLED)

    def emit(self, name: str, parameters: Optional[GLib.Variant] = None) -> None:
        """Sends a progress signal to every connected client."""
        self._emit_all(name, parameters)
        self._on_signal(self)

    def finish(self, success: bool, message: str) -> None:
        """Ends the transaction with Finished(success, message)."""
        if self.finished is not None:
            return
        self.finished = (success, message)
        self._clear_timer()
        sim_events.emit("transaction-finished", method=self.method, success=success, message=message)
        self._emit_all("Finished", GLib.Variant("(bs)", self.finished))
        for connection in list(self._connections):
            # A client may close its peer connection as soon as it read Finished; that must not keep the
            # transaction from ending (an exception here used to skip _on_finished, and so the reboot exit).
            if connection.is_closed():
                continue
            try:
                connection.flush_sync(None)
            except GLib.Error:
                pass
        self._on_finished(self)
        self._maybe_closed()

    def force_close(self) -> None:
        """rpmostreed_transaction_force_close(): stops the server and closes every peer; then it is closed."""
        self._server.stop()
        for connection in list(self._connections):
            if not connection.is_closed():
                connection.close_sync(None)
        self._connections.clear()
        self._maybe_closed()

    def _maybe_closed(self) -> None:
        """transaction_maybe_emit_closed(): executed and no peer left."""
        if self.closed or self.finished is None or self._connections:
            return
        self.closed = True
        if self._on_closed_cb is not None:
            self._on_closed_cb(self)

    def close(self) -> None:
        """Stops the server, closes every peer and removes the socket."""
        self._clear_timer()
        self._server.stop()
        for connection in self._connections:
            if not connection.is_closed():
                connection.close_sync(None)
        self._connections.clear()
        for path in (self._socket,):
            if os.path.exists(path):
                os.unlink(path)
        if os.path.isdir(self._dir):
            os.rmdir(self._dir)

    def _schedule_next(self) -> None:
        if self.finished is not None:
            return
        if not self._steps:
            self.finish(True, "")
            return
        step = self._steps[0]
        if step.delay_ms is None:
            return
        self._timer = GLib.timeout_add(max(step.delay_ms, 0), self._run_step)

    def _run_step(self) -> bool:
        self._timer = 0
        if self.finished is not None or not self._steps:
            return False
        step = self._steps.pop(0)
        result = step.action(self)
        if result is not None:
            self.finish(*result)
        else:
            self._schedule_next()
        return False

    def _clear_timer(self) -> None:
        if self._timer:
            GLib.source_remove(self._timer)
            self._timer = 0

    def _emit_all(self, name: str, parameters: Optional[GLib.Variant]) -> None:
        for connection in list(self._connections):
            if not connection.is_closed():
                connection.emit_signal(None, "/", IFACE, name, parameters)

    def _on_new_connection(self, _server: Gio.DBusServer, connection: Gio.DBusConnection) -> bool:
        self._connections.append(connection)
        connection.connect("closed", self._on_closed)
        connection.register_object("/", self._info, self._on_method_call, self._on_get_property, None)
        return True

    def _on_closed(self, connection: Gio.DBusConnection, _remote_vanished: bool, _error: object) -> None:
        if connection in self._connections:
            self._connections.remove(connection)
            self._maybe_closed()

    def _on_method_call(self, _connection: Gio.DBusConnection, _sender: Optional[str], _path: str,
                        _interface: str, method: str, _parameters: GLib.Variant,
                        invocation: Gio.DBusMethodInvocation) -> None:
        if method == "Start":
            invocation.return_value(GLib.Variant("(b)", (self.start(),)))
        elif method == "Cancel":
            invocation.return_value(None)
            self.cancel()
        else:
            invocation.return_dbus_error("org.freedesktop.DBus.Error.UnknownMethod", f"No such method {method}")

    def _on_get_property(self, _connection: Gio.DBusConnection, _sender: Optional[str], _path: str,
                         _interface: str, name: str) -> GLib.Variant:
        if name == "Title":
            return GLib.Variant("s", self.title)
        return GLib.Variant("s", self._client)
