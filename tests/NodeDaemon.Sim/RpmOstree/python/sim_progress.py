"""The progress a container pull shows, spread over time: Message, TaskBegin/End, DownloadProgress, PercentProgress.

Shapes follow what rpm-ostree prints for an image pull (`Pulling manifest`, `Importing`, `layers needed`,
`Fetching layer`), with plausible layer counts and sizes derived from the digest so runs are repeatable.
"""
from __future__ import annotations

import hashlib
import time
from typing import Callable

from gi.repository import GLib

from sim_transaction import Step, StepResult, Transaction

Action = Callable[[Transaction], StepResult]


def pull_steps(image_ref: str, digest: str, total_ms: int, fetched: Action) -> list[Step]:
    """Steps for pulling an image; `fetched` runs after the last layer (it stages or fails)."""
    layers, sizes = _layers(digest)
    slice_ms = max(total_ms // (layers + 4), 1)
    start = int(time.time())
    steps = [
        Step(0, _signal("Message", GLib.Variant("(s)", (f"Pulling manifest: {image_ref}",)))),
        Step(slice_ms, _signal("Message", GLib.Variant("(s)", (f"Importing: {image_ref} (digest: {digest})",)))),
        Step(0, _signal("Message", GLib.Variant("(s)", (
            f"ostree chunk layers needed: {layers} ({_human(sum(sizes))})",)))),
        Step(0, _signal("TaskBegin", GLib.Variant("(s)", ("Fetching layers",)))),
    ]
    done = 0
    for index, size in enumerate(sizes):
        done += size
        layer = hashlib.sha256(f"{digest}/{index}".encode()).hexdigest()[:12]
        steps.append(Step(slice_ms, _signal("Message", GLib.Variant("(s)", (
            f"Fetching ostree chunk sha256:{layer} ({_human(size)})",)))))
        steps.append(Step(0, _download(start, index + 1, layers, done, size * 1000 // slice_ms)))
        steps.append(Step(0, _signal("PercentProgress", GLib.Variant("(su)", (
            "Fetching layers", (index + 1) * 100 // layers)))))
    steps += [
        Step(0, _signal("TaskEnd", GLib.Variant("(s)", ("Fetching layers",)))),
        Step(slice_ms, _signal("ProgressEnd", None)),
        Step(0, _signal("Message", GLib.Variant("(s)", ("Staging deployment...",)))),
        Step(slice_ms, fetched),
    ]
    return steps


def hang_steps(image_ref: str) -> list[Step]:
    """A pull that starts and never ends (until Cancel)."""
    return [
        Step(0, _signal("Message", GLib.Variant("(s)", (f"Pulling manifest: {image_ref}",)))),
        Step(None, lambda _txn: None),
    ]


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


def _human(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
