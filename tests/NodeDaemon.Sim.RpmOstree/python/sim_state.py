"""The simulator's state: an `rpm-ostree status --json` document plus a "nodedaemon-sim" section.

The document is the single source of truth so that a restarted simulator (or the `boot` verb) continues
exactly where the previous process stopped.
"""
from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Optional

SIM_KEY = "nodedaemon-sim"

Deployment = dict[str, Any]
Document = dict[str, Any]


def load(path: str) -> Document:
    """Reads a status document and fills in the simulator section with defaults."""
    with open(path, encoding="utf-8") as handle:
        doc: Document = json.load(handle)
    doc.setdefault("deployments", [])
    doc.setdefault("transaction", None)
    sim = doc.setdefault(SIM_KEY, {})
    sim.setdefault("boot-count", 0)
    sim.setdefault("boot-id", "")
    sim.setdefault("staged-locked", None)
    sim.setdefault("reboot-requested", None)
    sim.setdefault("finalization-lost", False)
    return doc


def save(path: str, doc: Document) -> None:
    """Writes the document atomically (temp file + rename) so a kill never leaves half a file."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".state-", suffix=".json", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(doc, handle, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def sim(doc: Document) -> dict[str, Any]:
    """The simulator-only section."""
    return doc[SIM_KEY]


def deployments(doc: Document) -> list[Deployment]:
    """Deployments in ostree order: the staged one (if any) first, then boot order."""
    deps: list[Deployment] = doc["deployments"]
    return sorted(deps, key=lambda d: 0 if d.get("staged") else 1)


def staged(doc: Document) -> Optional[Deployment]:
    """The staged deployment, if any."""
    return next((d for d in doc["deployments"] if d.get("staged")), None)


def booted(doc: Document) -> Optional[Deployment]:
    """The booted deployment, if any."""
    return next((d for d in doc["deployments"] if d.get("booted")), None)


def default(doc: Document) -> Optional[Deployment]:
    """Deployment 0: what the next boot uses (rpm-ostreed's DefaultDeployment)."""
    deps = deployments(doc)
    return deps[0] if deps else None


def rollback(doc: Document) -> Optional[Deployment]:
    """The first deployment after the booted one, as ostree_sysroot_query_deployments_for() finds it."""
    deps = [d for d in deployments(doc) if not d.get("staged")]
    for index, dep in enumerate(deps):
        if dep.get("booted"):
            return deps[index + 1] if index + 1 < len(deps) else None
    return None


def merge(doc: Document) -> Optional[Deployment]:
    """The deployment a new stage builds on: the staged one if any, else the booted one."""
    return staged(doc) or booted(doc)


def staged_locked(doc: Document) -> bool:
    """Whether the staged deployment is finalization-locked.

    Real hosts keep the lock in /run (not in the deployment), so the simulator keeps it in its own section;
    old documents that still carry `finalization-locked` are honoured when the section says nothing.
    """
    dep = staged(doc)
    if dep is None:
        return False
    remembered = sim(doc).get("staged-locked")
    if remembered is not None:
        return bool(remembered)
    return bool(dep.get("finalization-locked", False))


def set_transaction(doc: Document, value: Optional[list[str]]) -> None:
    """Mirrors the active transaction into the document's own `transaction` key, as status --json does."""
    doc["transaction"] = value
