"""Turns the JSON rendering of deployment dictionaries back into the GVariants rpm-ostreed serves.

`rpm-ostree status --json` loses the D-Bus types, so well-known keys get their real types and the rest is
inferred: strings s, booleans b, objects a{sv}, string lists as, and heterogeneous lists (signatures,
package tuples) become tuples inside av, the way GVariant renders them to JSON.
"""
from __future__ import annotations

from typing import Any, Optional

from gi.repository import GLib

# Keys whose integer type the JSON cannot tell (rpmostreed-deployment-utils.cxx).
_INT_TYPES = {"serial": "i", "clientlayer_version": "u", "rpmostree.clientlayer_version": "u"}

# Lists that rpm-ostreed serves as av even when every element has the same shape.
_VARIANT_LISTS = {"signatures"}


def deployment(dep: Optional[dict[str, Any]]) -> GLib.Variant:
    """One deployment as a{sv}; `{}` for none."""
    return dictionary(dep or {})


def deployments(deps: list[dict[str, Any]]) -> GLib.Variant:
    """A deployment list as aa{sv}."""
    return GLib.Variant.new_array(GLib.VariantType.new("a{sv}"), [dictionary(d) for d in deps])


def dictionary(obj: dict[str, Any]) -> GLib.Variant:
    """A JSON object as a{sv}; null values are left out because a{sv} cannot hold them."""
    entries = [
        GLib.Variant.new_dict_entry(GLib.Variant("s", key), GLib.Variant.new_variant(value(val, key)))
        for key, val in obj.items()
        if val is not None
    ]
    return GLib.Variant.new_array(GLib.VariantType.new("{sv}"), entries)


def value(val: Any, key: str = "") -> GLib.Variant:
    """A JSON value as the GVariant rpm-ostreed would have rendered it."""
    if isinstance(val, bool):
        return GLib.Variant("b", val)
    if isinstance(val, int):
        return GLib.Variant(_int_type(key, val), val)
    if isinstance(val, float):
        return GLib.Variant("d", val)
    if isinstance(val, str):
        return GLib.Variant("s", val)
    if isinstance(val, dict):
        return dictionary(val)
    if isinstance(val, list):
        return _array(val, key)
    raise TypeError(f"no GVariant for {key}={val!r}")


def _int_type(key: str, val: int) -> str:
    if key in _INT_TYPES:
        return _INT_TYPES[key]
    # Some captured rpmmd-repo timestamps are negative (byte-swapped upstream), which only x can carry.
    return "t" if key.endswith("timestamp") and val >= 0 else "x"


def _array(items: list[Any], key: str) -> GLib.Variant:
    if all(isinstance(i, str) for i in items):
        return GLib.Variant("as", items)
    if all(isinstance(i, dict) for i in items):
        return GLib.Variant.new_array(GLib.VariantType.new("a{sv}"), [dictionary(i) for i in items])
    if all(isinstance(i, list) for i in items):
        elements = [_tuple(i) for i in items]
        signatures = {e.get_type_string() for e in elements}
        if key not in _VARIANT_LISTS and len(signatures) == 1:
            return GLib.Variant.new_array(None, elements)
        return GLib.Variant.new_array(GLib.VariantType.new("v"), [GLib.Variant.new_variant(e) for e in elements])
    return GLib.Variant.new_array(GLib.VariantType.new("v"), [GLib.Variant.new_variant(value(i)) for i in items])


def _tuple(items: list[Any]) -> GLib.Variant:
    """A heterogeneous JSON array is how GVariant renders a tuple (e.g. a GPG signature)."""
    if all(isinstance(i, list) for i in items):
        return GLib.Variant.new_tuple(*[_tuple(i) for i in items])
    return GLib.Variant.new_tuple(*[value(i) for i in items])
