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
  rebootRequestedBy      set by `upgrade --from-downloaded --apply` and `rollback --apply`
  softRebootRequestedBy  set by `rollback --soft-reboot` when the rollback entry has softRebootCapable
  hostFallback           image digests the host cannot come up on (see --simulate-boot)
  greenbootRollback      false: after a fallback boot, greenboot's `bootc rollback` does not run (default true)

`--simulate-boot` is not bootc's: it is the harness's reboot of this host (see simulate_boot).
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


ROLLBACK = "error: Rollback: Rollback (ostree): "


def rollback(state, args):
    """bootc 534c76ea deploy.rs rollback(): swaps the boot order. The rollback entry goes first (a staged deployment is
    not written back, so it is gone), or, when a rollback is already queued, the booted one goes back on top."""
    host = state["host"]
    status = host["status"]
    if status.get("rollback") is None:
        die(ROLLBACK + "No rollback available")
    reverting = status.get("rollbackQueued", False)
    if reverting:
        print("notice: Reverting queued rollback state")
    status["staged"] = None
    status["rollbackQueued"] = not reverting
    host["spec"]["bootOrder"] = "default" if reverting else "rollback"
    host["spec"]["image"] = status["booted"]["image"]["image"]
    print("Next boot: current deployment" if reverting else "Next boot: rollback deployment")
    save(state)
    mode = args[args.index("--soft-reboot") + 1] if "--soft-reboot" in args else None
    if mode is not None:
        # cli.rs rollback_ostree -> handle_soft_reboot, after the new order was written.
        if status["rollback"].get("softRebootCapable", False):
            print("Rollback deployment is soft-reboot capable, preparing for soft-reboot...")
            state["softRebootRequestedBy"] = " ".join(["rollback", *args])
        elif mode == "required":
            die(ROLLBACK + "Handling soft reboot: Soft reboot was required but rollback deployment is not soft-reboot capable")
    if "--apply" in args:
        state["rebootRequestedBy"] = " ".join(["rollback", *args])


def simulate_boot(state):
    """The harness's reboot: a queued rollback swaps booted and rollback; else a staged deployment (not download-only)
    boots and the old booted one becomes the rollback. Under hostFallback for the new booted digest, the bootloader
    boots the next entry instead (greenboot's GRUB countdown: `set default=1`), which bootc shows as a queued rollback,
    and greenboot-rpm-ostree-grub2-check-fallback runs `bootc rollback`, which reverts that queue (greenboot 6ccf8e9)."""
    status = state["host"]["status"]
    previous = status["booted"]
    if status.get("rollbackQueued"):
        status["booted"], status["rollback"] = status["rollback"], status["booted"]
    elif status.get("staged") and not status["staged"].get("downloadOnly"):
        status["booted"], status["rollback"] = status["staged"], status["booted"]
    status["staged"] = None
    status["rollbackQueued"] = False
    state["host"]["spec"]["bootOrder"] = "default"
    fell_back = status["booted"] is not previous and status["booted"]["image"]["imageDigest"] in state.get("hostFallback", [])
    if fell_back:
        status["booted"], status["rollback"] = status["rollback"], status["booted"]
        status["rollbackQueued"] = not state.get("greenbootRollback", True)
        state["host"]["spec"]["bootOrder"] = "rollback" if status["rollbackQueued"] else "default"
    state["host"]["spec"]["image"] = status["booted"]["image"]["image"]
    state.pop("rebootRequestedBy", None)
    state.pop("softRebootRequestedBy", None)
    print(json.dumps({"booted-digest": status["booted"]["image"]["imageDigest"], "fallback": fell_back}))


def main(args):
    state = load()
    verb = args[0] if args else ""
    if verb == "--simulate-boot":
        simulate_boot(state)
        save(state)
        return
    state["calls"].append(args)
    save(state)
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
    elif verb == "rollback":
        rollback(state, args[1:])
    else:
        die(f"error: unrecognized subcommand '{verb}'", 2)
    save(state)


main(sys.argv[1:])
