"""How long a lock another program took is held: one rule for the inhibitor and sysroot-lock faults."""
from __future__ import annotations

from typing import Optional


def still_held(seconds: Optional[float], refusals: Optional[int], taken_at: float, now: float) -> bool:
    """Held for `seconds` from `taken_at`, or until `refusals` requests were refused; None for both: until lifted."""
    timed_out = seconds is not None and now >= taken_at + seconds
    used_up = refusals is not None and refusals <= 0
    return not timed_out and not used_up
