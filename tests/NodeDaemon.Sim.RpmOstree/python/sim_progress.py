"""The progress a container pull shows, spread over time, as rpm-ostree v2026.2 emits it.

rpm-ostree's `pull_container_async` and `layer_progress_print` (rust/src/sysroot_upgrade.rs) send `Message`s
(`Pulling manifest: …`, `Importing: … (digest: …)`, `ostree chunk layers needed: N (size)`) and one
`TaskBegin("[i/n] Fetching ostree chunk sha256:<12 hex> (size)")` / `TaskEnd("done")` per layer (the texts are
ostree-ext's `layer_progress_format`; the daemon's output layer turns a task end into `TaskEnd("done")`,
src/daemon/rpmostreed-transaction.cxx). There is no `DownloadProgress` and no `PercentProgress` for a container pull:
those come only from plain ostree pulls, which the `progress: "ostree"` knob adds for clients that read them. Layer
counts and sizes derive from the digest so runs are repeatable.
"""
from __future__ import annotations

import hashlib
import time
from typing import Callable

from gi.repository import GLib

from sim_transaction import Step, StepResult, Transaction

Action = Callable[[Transaction], StepResult]


def pull_steps(image_ref: str, digest: str, total_ms: int, fetched: Action, byte_signals: bool = False) -> list[Step]:
    """Steps for pulling an image; `fetched` runs after the last layer (it stages or fails)."""
    layers, sizes = _layers(digest)
    slice_ms = max(total_ms // (layers + 4), 1)
    start = int(time.time())
    steps = [
        Step(0, _message(f"Pulling manifest: {image_ref}")),
        Step(slice_ms, _message(f"Importing: {image_ref} (digest: {digest})")),
        Step(0, _message(f"ostree chunk layers needed: {layers} ({_format_size(sum(sizes))})")),
    ]
    done = 0
    for index, size in enumerate(sizes):
        done += size
        layer = hashlib.sha256(f"{digest}/{index}".encode()).hexdigest()[:12]
        steps.append(Step(0, _signal("TaskBegin", GLib.Variant("(s)", (
            f"[{index + 1}/{layers}] Fetching ostree chunk sha256:{layer} ({_format_size(size)})",)))))
        steps.append(Step(slice_ms, _signal("TaskEnd", GLib.Variant("(s)", ("done",)))))
        if byte_signals:
            steps.append(Step(0, _download(start, index + 1, layers, done, size * 1000 // slice_ms)))
            steps.append(Step(0, _signal("PercentProgress", GLib.Variant("(su)", (
                "Fetching layers", (index + 1) * 100 // layers)))))
    steps += [
        Step(slice_ms, _signal("TaskBegin", GLib.Variant("(s)", ("Staging deployment",)))),
        Step(0, _signal("TaskEnd", GLib.Variant("(s)", ("done",)))),
        Step(slice_ms, fetched),
    ]
    return steps


def hang_steps(image_ref: str) -> list[Step]:
    """A pull that starts and never ends (until Cancel)."""
    return [
        Step(0, _message(f"Pulling manifest: {image_ref}")),
        Step(None, lambda _txn: None),
    ]


def _message(text: str) -> Action:
    return _signal("Message", GLib.Variant("(s)", (text,)))


def _signal(name: str, parameters: GLib.Variant | None) -> Action:
    def action(txn: Transaction) -> StepResult:
        txn.emit(name, parameters)
        return None
    return action


def _download(start: int, fetched: int, requested: int, done_bytes: int, rate: int) -> Action:
    """DownloadProgress(time, outstanding, metadata, delta, content, transfer) with content = layers."""
    def action(txn: Transaction) -> StepResult:
        elapsed = max(int(time.time()) - start, 0)
        txn.emit("DownloadProgress", GLib.Variant("((tt)(uu)(uuu)(uuut)(uu)(tt))", (
            (start, elapsed), (requested - fetched, 0), (0, 0, 0), (0, 0, 0, 0),
            (fetched, requested), (done_bytes, rate))))
        return None
    return action


def _layers(digest: str) -> tuple[int, list[int]]:
    seed = hashlib.sha256(digest.encode()).digest()
    count = 3 + seed[0] % 5
    sizes = [(20 + seed[i + 1] % 200) * 1024 * 1024 + seed[i + 2] * 4096 for i in range(count)]
    return count, sizes


def _format_size(size: int) -> str:
    """GLib's g_format_size with default flags (SI units, one decimal), as rpm-ostree prints sizes."""
    if size < 1000:
        return f"{size} bytes"
    for unit, scale in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12)):
        if size < scale * 1000 or unit == "TB":
            return f"{size / scale:.1f} {unit}"
    raise AssertionError("unreachable")
