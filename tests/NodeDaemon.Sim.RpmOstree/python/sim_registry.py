"""Pulls from a real OCI registry, the way rpm-ostree does through ostree-ext and skopeo's image proxy.

The registry file (`--registry`) may hold, besides its in-memory pullspec entries, a `"real-registry"` section:
`{"hosts": ["127.0.0.1:PORT"], "authfile": "<auth.json>", "tls-verify": false}`. A pullspec on one of those hosts is
then pulled for real: rpm-ostree's `pull_container_async` (rust/src/sysroot_upgrade.rs, v2026.2) prints `Pulling
manifest`, ostree-ext's `prepare` (crates/ostree-ext/src/container/store.rs, context "Fetching manifest") opens the
image and fetches its manifest through the proxy (OpenImage, GetManifest: containers/image resolves the tag to the
digest the registry returns, and picks this platform's manifest out of an index), `import` (context "Importing",
then "Unencapsulating base" for the ostree chunk layers) fetches every layer with GetBlob. Errors are the proxy's own
texts under those contexts, joined as anyhow's `{:#}` does (rpm-ostree's CxxError, rust/src/cxxrsutil.rs).
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Callable, Optional

from gi.repository import GLib

import sim_events
import sim_operations as ops
import sim_progress
from sim_image_proxy import ImageProxy, ProxyError
from sim_transaction import Step, StepResult, Transaction

SECTION = "real-registry"


class RealRegistry:
    """The `real-registry` section of the registry file."""

    def __init__(self, section: dict[str, Any]) -> None:
        self.hosts = [str(h) for h in section.get("hosts", [])]
        self.authfile: Optional[str] = section.get("authfile")
        self.tls_verify = bool(section.get("tls-verify", True))

    @staticmethod
    def load(registry: dict[str, Any]) -> Optional["RealRegistry"]:
        """The section when the registry file has one."""
        section = registry.get(SECTION)
        return RealRegistry(section) if isinstance(section, dict) else None

    def serves(self, spec: str) -> bool:
        """Whether a pullspec names an image on the real registry."""
        return spec.split("/", 1)[0] in self.hosts

    def unknown(self, spec: str, registry: dict[str, Any]) -> Optional[str]:
        """Why a pullspec cannot be pulled in a world that has a real registry: it is neither on that registry nor an
        in-memory entry. Without this a made-up digest elsewhere would be staged as if some registry held it."""
        if self.serves(spec) or spec in registry:
            return None
        return (f"nodedaemon-sim: {spec} is neither on the real registry ({', '.join(self.hosts)}) "
                "nor an in-memory entry of the registry file")


class RealPull:
    """One pull: the proxy, the opened image and what was learnt so far; closed at the end, whatever the end."""

    def __init__(self, registry: RealRegistry, spec: str) -> None:
        self._registry = registry
        self._spec = spec
        self._proxy: Optional[ImageProxy] = None
        self._image = 0
        self.digest = ""
        self.version: Optional[str] = None
        self.layers: list[dict[str, Any]] = []

    def prepare(self) -> None:
        """ostree-ext's prepare: OpenImage and GetManifest (and the config, for the version label)."""
        try:
            self._proxy = ImageProxy(self._registry.authfile, self._registry.tls_verify)
            self._image = int(self._proxy.request("OpenImage", f"docker://{self._spec}"))
            digest, raw = self._proxy.request_bytes("GetManifest", self._image)
            _config_digest, config = self._proxy.request_bytes("GetConfig", self._image)
        except (ProxyError, OSError) as error:
            self.close()
            raise ops.OperationError(f"Fetching manifest: {error}") from error
        manifest = json.loads(raw)
        self.digest = str(digest) or "sha256:" + hashlib.sha256(raw).hexdigest()
        self.layers = list(manifest.get("layers", []))
        labels = (json.loads(config or b"{}").get("Labels") or {}) if config else {}
        # rpm-ostree shows the ostree commit's version, which an encapsulated image carries in these labels.
        self.version = labels.get("org.opencontainers.image.version") or labels.get("version")

    def fetch(self, index: int) -> None:
        """One layer through GetBlob, checked against its digest as ostree-ext's import does."""
        layer = self.layers[index]
        try:
            assert self._proxy is not None
            _size, blob = self._proxy.request_bytes("GetBlob", self._image, layer["digest"], int(layer["size"]))
        except (ProxyError, OSError) as error:
            self.close()
            raise ops.OperationError(f"Importing: Unencapsulating base: {error}") from error
        if "sha256:" + hashlib.sha256(blob).hexdigest() != layer["digest"]:
            self.close()
            raise ops.OperationError(f"Importing: Unencapsulating base: Corrupted blob, expected {layer['digest']}")

    def close(self) -> None:
        """Stops the proxy (idempotent)."""
        if self._proxy is not None:
            self._proxy.close()
            self._proxy = None


_current: list[RealPull] = []
"""The pull in progress, so a new one (or the process's end) closes a cancelled one's proxy."""


def close_all() -> None:
    """Closes every proxy still open."""
    while _current:
        _current.pop().close()


def pull_steps(registry: RealRegistry, spec: str, image_ref: str, total_ms: int,
               staged: Callable[[ops.Image], StepResult]) -> list[Step]:
    """The steps of a real pull, with rpm-ostree's messages and one TaskBegin/TaskEnd per layer."""
    close_all()
    pull = RealPull(registry, spec)
    _current.append(pull)
    slice_ms = max(total_ms // 6, 1)
    steps: list[Step] = [Step(0, sim_progress._message(f"Pulling manifest: {image_ref}"))]

    def prepared(txn: Transaction) -> StepResult:
        try:
            pull.prepare()
        except ops.OperationError as error:
            return False, str(error)
        # A harness's moment "manifest read, layers not yet fetched" (a scenario stops the registry here).
        sim_events.emit("image-fetching", digest=pull.digest, layers=len(pull.layers))
        txn.emit("Message", GLib.Variant("(s)", (f"Importing: {image_ref} (digest: {pull.digest})",)))
        total = sum(int(layer.get("size", 0)) for layer in pull.layers)
        txn.emit("Message", GLib.Variant("(s)", (
            f"ostree chunk layers needed: {len(pull.layers)} ({sim_progress._format_size(total)})",)))
        layer_ms = max(slice_ms * 3 // max(len(pull.layers), 1), 1)
        txn.run(_layer_steps(pull, layer_ms) + [
            Step(slice_ms, sim_progress._signal("TaskBegin", GLib.Variant("(s)", ("Staging deployment",)))),
            Step(0, sim_progress._signal("TaskEnd", GLib.Variant("(s)", ("done",)))),
            Step(slice_ms, lambda _t: _finish(pull, spec, staged)),
        ])
        return None

    steps.append(Step(slice_ms, prepared))
    return steps


def _layer_steps(pull: RealPull, layer_ms: int) -> list[Step]:
    steps: list[Step] = []
    count = len(pull.layers)
    for index, layer in enumerate(pull.layers):
        text = (f"[{index + 1}/{count}] Fetching ostree chunk {str(layer['digest'])[:19]} "
                f"({sim_progress._format_size(int(layer.get('size', 0)))})")
        steps.append(Step(0, sim_progress._signal("TaskBegin", GLib.Variant("(s)", (text,)))))
        steps.append(Step(layer_ms, _fetch(pull, index)))
        steps.append(Step(0, sim_progress._signal("TaskEnd", GLib.Variant("(s)", ("done",)))))
    return steps


def _fetch(pull: RealPull, index: int) -> Callable[[Transaction], StepResult]:
    def action(_txn: Transaction) -> StepResult:
        try:
            pull.fetch(index)
        except ops.OperationError as error:
            return False, str(error)
        return None
    return action


def _finish(pull: RealPull, spec: str, staged: Callable[[ops.Image], StepResult]) -> StepResult:
    pull.close()
    if pull in _current:
        _current.remove(pull)
    return staged(ops.Image(spec, pull.digest, pull.version))
