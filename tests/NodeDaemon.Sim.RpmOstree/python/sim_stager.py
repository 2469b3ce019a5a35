"""The `another-stager` fault: another client of rpm-ostreed (Zincati's `rpm-ostree deploy --lock-finalization`, an
admin's `rpm-ostree upgrade`, rpm-ostreed-automatic.service under `AutomaticUpdatePolicy=stage`) stages a deployment
of its own, which replaces whatever was staged: ostree keeps at most one staged deployment
(`ostree_sysroot_stage_tree`), and rpm-ostree's deploy transactions stage through it
(`src/daemon/rpmostreed-transaction-types.cxx`, v2026.2). Only a stage made with `lock-finalization` stays locked.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Optional

import sim_state
from sim_state import Document


@dataclass
class OtherStager:
    """Who stages what: a transaction `method` titled `by`, running `seconds`, then staging `refspec` at `digest`."""

    by: str = "rpm-ostree upgrade"
    method: str = "Upgrade"
    refspec: Optional[str] = None
    digest: Optional[str] = None
    version: Optional[str] = None
    locked: bool = False
    seconds: float = 1.0

    def key(self) -> str:
        """Identifies this fault's configuration: it stages once per simulator process, however often it is re-read."""
        return json.dumps(self.__dict__, sort_keys=True)


def parse(value: Any) -> Optional[OtherStager]:
    """`true` or `{"by"?, "method"?, "refspec"?, "digest"?, "version"?, "locked"?, "seconds"?}`."""
    if value is None or value is False:
        return None
    stager = OtherStager()
    if isinstance(value, dict):
        unknown = set(value) - {"by", "method", "refspec", "digest", "version", "locked", "seconds"}
        if unknown:
            raise ValueError(f"unknown another-stager keys: {', '.join(sorted(unknown))}")
        stager.by = str(value.get("by", stager.by))
        stager.method = str(value.get("method", stager.method))
        stager.refspec = value.get("refspec")
        stager.digest = value.get("digest")
        stager.version = value.get("version")
        stager.locked = bool(value.get("locked", False))
        stager.seconds = float(value.get("seconds", stager.seconds))
    return stager


def target(doc: Document, stager: OtherStager) -> tuple[str, str]:
    """The refspec and digest it stages: as configured, else the booted (or staged) deployment's reference at a digest
    derived from the current stage (what an `upgrade` of the booted image's tag would find: something else than ours)."""
    booted = sim_state.booted(doc) or {}
    current = sim_state.staged(doc) or booted
    refspec = stager.refspec or str(booted.get("container-image-reference") or current.get("container-image-reference") or "")
    if stager.digest:
        return refspec, stager.digest
    seed = f"another-stager:{current.get('container-image-reference-digest') or current.get('checksum')}"
    return refspec, "sha256:" + hashlib.sha256(seed.encode()).hexdigest()
