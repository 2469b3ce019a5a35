"""What each OS method does to the status document: pure functions, no D-Bus.

Error texts are rpm-ostree's and libostree's own, so a client's error handling meets the real strings.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Optional

import sim_state
from sim_state import Deployment, Document

_DIGEST = re.compile(r"@(sha256:[0-9a-f]{64})$")
_IMAGE_SCHEMES = ("ostree-unverified-image:", "ostree-image-signed:")


class OperationError(Exception):
    """A failure that ends a transaction with Finished(false, message)."""


@dataclass
class Image:
    """A resolved container image: what the registry answered for a pullspec."""

    pullspec: str
    digest: str
    version: Optional[str]


def pullspec(refspec: str) -> Optional[str]:
    """The image a container refspec names (its docker:// part when it has one); None for ostree refs."""
    rest: Optional[str] = None
    if refspec.startswith("ostree-unverified-registry:"):
        rest = refspec[len("ostree-unverified-registry:"):]
    elif refspec.startswith(_IMAGE_SCHEMES):
        rest = refspec.split(":", 1)[1]
    elif refspec.startswith(("ostree-remote-image:", "ostree-remote-registry:")):
        parts = refspec.split(":", 2)
        rest = parts[2] if len(parts) == 3 else None
    if rest is None:
        return None
    return rest[len("docker://"):] if rest.startswith("docker://") else rest


def canonical(refspec: str) -> str:
    """How rpm-ostree prints the image it pulls (`Pulling manifest: ostree-unverified-image:docker://...`)."""
    if refspec.startswith("ostree-unverified-registry:"):
        return "ostree-unverified-image:docker://" + refspec[len("ostree-unverified-registry:"):]
    return refspec


ARCHITECTURE = "amd64"
"""The simulated host's platform (Go's name for x86_64), as containers/image picks a manifest list's instance."""


def resolve(spec: str, registry: dict[str, Any]) -> Image:
    """Looks the pullspec up like a registry would: a digest needs no entry, an unknown tag is `manifest unknown`.

    An entry with `"index": {"<arch>": "sha256:..."}` is a multi-arch index (a tag's entry, or one keyed by
    `name@<index digest>`): the pull imports the instance for this host's platform, and that manifest's digest is what
    gets recorded, as skopeo's image proxy (cacheTargetManifest: manifest.ChooseInstance) hands ostree-ext the
    platform manifest and ostree-ext stores its digest (container/store.rs, `manifest_digest`)."""
    entry = registry.get(spec) or {}
    pinned = _DIGEST.search(spec)
    if pinned:
        digest = pinned.group(1)
    elif not entry:
        repo, tag = split_tag(spec)
        raise OperationError(f"{FETCHING_MANIFEST}OpenImage: reading manifest {tag} in {repo}: manifest unknown: manifest unknown")
    else:
        digest = str(entry["digest"])
    index = entry.get("index") or (registry.get(f"{split_tag(spec)[0]}@{digest}") or {}).get("index")
    if index:
        platform = index.get(ARCHITECTURE)
        if not platform:
            raise OperationError(f"{FETCHING_MANIFEST}GetManifest: "
                                 f"no image found in manifest list for architecture \"{ARCHITECTURE}\", variant \"\", "
                                 "OS \"linux\"")
        digest = str(platform)
    return Image(spec, digest, entry.get("version"))


def digest_mismatch(spec: str) -> Optional[str]:
    """containers/image's answer when the registry serves other content for a pinned digest (it verifies every
    by-digest manifest, internal/image/unparsed.go); None for a tag, whose content may move."""
    pinned = _DIGEST.search(spec)
    if not pinned:
        return None
    return f"{FETCHING_MANIFEST}GetManifest: Manifest does not match provided manifest digest {pinned.group(1)}"


# How a failed image-proxy call reaches rpm-ostree's Finished message today: ostree-ext's ImageImporter::prepare_internal
# carries the context "Fetching manifest" (bootc 534c76ea crates/ostree-ext/src/container/store.rs; "Creating importer"
# wraps only ImageImporter::new, which opens no image), containers-image-proxy-rs (0.7+, imageproxy.rs) words the call
# "failed to invoke method <M>: <error>", and rpm-ostree joins the contexts with ": " (rust/src/cxxrsutil.rs, "{:#}").
FETCHING_MANIFEST = "Fetching manifest: failed to invoke method "


def split_tag(spec: str) -> tuple[str, str]:
    """`quay.io/a/b:tag` → (`quay.io/a/b`, `tag`); no tag means `latest`."""
    name = spec.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return name[:colon], name[colon + 1:]
    return name, "latest"


def moved_digest(image: Image, configured: str) -> str:
    """The digest a pull really got when the tag moved between lookup and pull."""
    return configured or "sha256:" + hashlib.sha256(f"moved:{image.digest}".encode()).hexdigest()


def check_rebase(doc: Document, refspec: str) -> None:
    """rpm-ostree refuses a rebase onto the refspec the merge deployment already has."""
    merge = sim_state.merge(doc)
    if merge is not None and refspec in (merge.get("container-image-reference"), merge.get("origin")):
        raise OperationError(f"Old and new refs are equal: {refspec}")


def stage(doc: Document, osname: str, refspec: str, digest: str, version: Optional[str], packages: list[str],
          locked: bool, now: int) -> Deployment:
    """Writes a staged container deployment at index 0, replacing any previous stage."""
    checksum = hashlib.sha256(f"nodedaemon-sim commit {digest}".encode()).hexdigest()
    others = [d for d in doc["deployments"] if not d.get("staged")]
    serial = 1 + max((int(d.get("serial", 0)) for d in others if d.get("checksum") == checksum), default=-1)
    dep: Deployment = {
        "unlocked": "none", "requested-local-packages": [], "base-removals": [], "requested-modules": [],
        "requested-modules-enabled": [], "pinned": False, "osname": osname, "base-remote-replacements": {},
        "regenerate-initramfs": False, "checksum": checksum, "container-image-reference-digest": digest,
        "requested-base-local-replacements": [], "id": f"{osname}-{checksum}.{serial}", "modules": [],
        "requested-local-fileoverride-packages": [], "requested-base-removals": [],
        "requested-packages": list(packages), "serial": serial, "timestamp": now, "staged": True,
        "booted": False, "container-image-reference": refspec, "packages": [], "base-local-replacements": [],
    }
    if version is not None:
        dep["version"] = version
    doc["deployments"] = [dep] + others
    sim_state.sim(doc)["staged-locked"] = locked
    return dep


def finalize(doc: Document, osname: str, options: dict[str, Any], compares: str,
             inhibited: Callable[[], Optional[str]] = lambda: None) -> str:
    """FinalizeDeployment's checks, in rpm-ostree's order; unlocks the stage and returns what it finalized."""
    dep = sim_state.default(doc)
    if dep is None:
        raise OperationError("No deployments found")
    if not dep.get("staged"):
        raise OperationError("No pending staged deployment found")
    if dep.get("osname") != osname:
        raise OperationError(f"Staged deployment is not for osname '{osname}'")
    found = _finalize_identity(dep, compares)
    expected = options.get("checksum")
    if expected is None and not options.get("allow-missing-checksum", False):
        raise OperationError("Missing expected checksum")
    if expected is not None and expected != found:
        raise OperationError(f"Expected staged base checksum {expected}, but found {found}")
    refused = inhibited()
    if refused is not None:
        # check_sd_inhibitor_locks runs after the checksum check and before the unlock: the stage stays locked.
        raise OperationError(refused)
    if not sim_state.staged_locked(doc) and not options.get("allow-unlocked", False):
        raise OperationError("Staged deployment already unlocked")
    sim_state.sim(doc)["staged-locked"] = False
    if "finalization-locked" in dep:
        dep["finalization-locked"] = False
    return found


def _finalize_identity(dep: Deployment, compares: str) -> str:
    """What FinalizeDeployment compares the `checksum` option with. rpm-ostree since v2025.7 (e47214b, "daemon: Support
    deployment finalization by OCI digest") takes the base commit and, when it is a container image's, that image's
    digest (query_container_image_commit -> image_digest); before, always the base commit. "digest" (the default) is
    today's rpm-ostree, "commit" the older one."""
    if compares == "digest" and dep.get("container-image-reference-digest"):
        return str(dep["container-image-reference-digest"])
    return str(dep.get("base-checksum") or dep.get("checksum"))


def cleanup(doc: Document, osname: str, elements: list[str]) -> None:
    """`pending-deploy` drops deployments queued before the booted one, `rollback-deploy` those after it."""
    known = {"pending-deploy", "rollback-deploy", "base", "repomd", "rpmmd-cache"}
    unknown = [e for e in elements if e not in known]
    if unknown:
        raise OperationError(f"Unknown cleanup type: {unknown[0]}")
    deps = sim_state.deployments(doc)
    booted_index = next((i for i, d in enumerate(deps) if d.get("booted")), len(deps))
    keep: list[Deployment] = []
    for index, dep in enumerate(deps):
        mine = dep.get("osname") == osname and not dep.get("pinned")
        if mine and "pending-deploy" in elements and index < booted_index:
            continue
        if mine and "rollback-deploy" in elements and index > booted_index:
            continue
        keep.append(dep)
    if sim_state.staged(doc) is not None and not any(d.get("staged") for d in keep):
        sim_state.sim(doc)["staged-locked"] = None
    doc["deployments"] = keep


def rollback(doc: Document, osname: str) -> str:
    """Rollback's reordering (rpm-ostree v2026.2 rpmostreed-transaction-types.cxx, rollback_transaction_execute): the
    rollback deployment (the first of this OS after the booted one, ostree_sysroot_query_deployments_for) becomes
    deployment 0 and the others keep their order; with no rollback but a pending deployment (one before the booted
    one), the booted one goes back on top, which undoes an earlier rollback. A staged deployment is refused, not
    discarded. Returns the transaction's message."""
    ordered = sim_state.deployments(doc)
    pending: Optional[Deployment] = None
    target: Optional[Deployment] = None
    found_booted = False
    booted: Optional[Deployment] = None
    for dep in ordered:
        if dep.get("osname") != osname:
            continue
        if dep.get("booted"):
            found_booted, booted = True, dep
        elif not found_booted and pending is None:
            pending = dep
        elif found_booted and target is None:
            target = dep
    if target is None and pending is None:
        raise OperationError("No rollback deployment found")
    if pending is not None and pending.get("staged"):
        raise OperationError("Staged deployment (remove with cleanup -p)")
    target = target or booted
    if target is None:
        raise OperationError("No rollback deployment found")
    doc["deployments"] = [target] + [d for d in ordered if d is not target]
    return f"Moving '{target.get('checksum')}.{target.get('serial', 0)}' to be first deployment"


def load_registry(path: Optional[str]) -> dict[str, Any]:
    """The fake registry: `{"<pullspec>": {"digest": "sha256:...", "version": "..."}}`, re-read on every pull."""
    if not path:
        return {}
    with open(path, encoding="utf-8") as handle:
        registry: dict[str, Any] = json.load(handle)
    return registry
