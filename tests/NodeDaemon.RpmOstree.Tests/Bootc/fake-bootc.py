#!/usr/bin/python3
"""A stand-in for bootc: the verbs NodeDaemon uses, over a JSON state file.

The state file (FAKE_BOOTC_STATE, else state.json beside this script) holds:
  host      the BootcHost document `bootc status --format json` prints
  registry  pullspec -> {"digest", "checksum", "version"}: what a switch pulls
  legacy    true: reject --format as bootc before 0.1.10 did (only --json)
  downloadOnlySupported  false: an older bootc without `upgrade --download-only`
  fail      verb -> message printed on stderr with exit 1
  hang      verbs that sleep instead of answering
  calls     every argument list, appended here
  rebootRequestedBy      set by `upgrade --from-downloaded --apply`
"""
import json
import os
import sys
import time

PATH = os.environ.get("FAKE_BOOTC_STATE") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "state.json")


def load():
    with open(PATH, encoding="utf-8") as f:
        return json.load(f)


def save(state):
    with open(PATH + ".tmp", "w", encoding="utf-8") as f:
        json.dump(state, f, indent=1)
    os.replace(PATH + ".tmp", PATH)


def die(message, code=1):
    print(message, file=sys.stderr)
    sys.exit(code)


def entry(state, image, transport, signature):
    pulled = state["registry"].get(image) or die(f"error: Switching: Pulling: reading manifest {image}: manifest unknown")
    staged = {
        "image": {
            "image": {"image": image, "transport": transport, "signature": signature},
            "version": pulled.get("version"),
            "timestamp": "2026-11-20T08:15:42Z",
            "imageDigest": pulled["digest"],
        },
        "cachedUpdate": None,
        "incompatible": False,
        "pinned": False,
        "store": "ostreeContainer",
        "ostree": {"checksum": pulled["checksum"], "deploySerial": 0},
    }
    if state.get("downloadOnlySupported", True):
        staged["downloadOnly"] = False
    return staged


def main(args):
    state = load()
    state["calls"].append(args)
    save(state)
    verb = args[0] if args else ""
    if verb in state.get("hang", []):
        time.sleep(3600)
    if verb in state.get("fail", {}):
        die(state["fail"][verb])
    host = state["host"]
    status = host["status"]
    if verb == "status":
        if "--format" in args and (state.get("legacy") or args[args.index("--format") + 1] != "json"):
            die("error: unexpected argument '--format' found\n\nUsage: bootc status [OPTIONS]", 2)
        print(json.dumps(host))
    elif verb == "switch":
        transport = args[args.index("--transport") + 1] if "--transport" in args else "registry"
        signature = "containerPolicy" if "--enforce-container-sigpolicy" in args else "insecure"
        image = args[-1]
        print(f"Fetching ostree-unverified-registry:{image}")
        print("Fetched layers: 3/3")
        status["staged"] = entry(state, image, transport, signature)
        host["spec"]["image"] = status["staged"]["image"]["image"]
        print(f"Queued for next boot: {image}")
    elif verb == "upgrade" and "--download-only" in args:
        if not state.get("downloadOnlySupported", True):
            die("error: unexpected argument '--download-only' found", 2)
        spec = host["spec"]["image"]
        if status["staged"] is None:
            status["staged"] = entry(state, spec["image"], spec["transport"], spec["signature"])
        status["staged"]["downloadOnly"] = True
        print("Staged update present, not applying due to --download-only")
    elif verb == "upgrade" and "--from-downloaded" in args:
        if not (status["staged"] or {}).get("downloadOnly"):
            die("error: No staged download-only deployment found")
        status["staged"]["downloadOnly"] = False
        if "--apply" in args:
            state["rebootRequestedBy"] = " ".join(args)
    else:
        die(f"error: unrecognized subcommand '{verb}'", 2)
    save(state)


main(sys.argv[1:])
