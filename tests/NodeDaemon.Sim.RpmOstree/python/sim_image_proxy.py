"""A client of `skopeo experimental-image-proxy`, the process ostree-ext fetches container images through.

ostree-ext (bootc crates/ostree-ext) talks to skopeo through containers-image-proxy-rs (src/imageproxy.rs): a
SOCK_SEQPACKET socket pair, one JSON request `{"method", "args"}` per packet, one reply `{"success", "value",
"pipeid", "error"}`, payloads (manifests, configs, blobs) on a pipe passed with SCM_RIGHTS and released with
FinishPipe. Using the same process and protocol gives the simulator containers/image's own resolution (tag → digest,
index → this platform's manifest) and its own error texts, which rpm-ostree passes on as
`failed to invoke method <Method>: <skopeo's error>` (RequestInitiationFailure in imageproxy.rs).
"""
from __future__ import annotations

import array
import json
import os
import socket
import subprocess
import threading
from typing import Any, Optional

MAX_MSG_SIZE = 32 * 1024
"""skopeo's and imageproxy.rs's bound on one JSON message."""

REQUEST_TIMEOUT_S = 60.0
"""A bound on one request; skopeo has its own network timeouts, this only keeps a wedged proxy from hanging us."""


class ProxyError(Exception):
    """A request the proxy refused: its text is imageproxy.rs's `failed to invoke method <M>: <error>`."""


class ImageProxy:
    """One `skopeo experimental-image-proxy` process and its socket."""

    def __init__(self, authfile: Optional[str], tls_verify: bool, skopeo: str = "skopeo") -> None:
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        # imageproxy.rs passes --authfile and --tls-verify=false exactly like this (ImageProxyConfig).
        args = [skopeo, "experimental-image-proxy", "--sockfd", str(theirs.fileno())]
        if authfile:
            args += ["--authfile", authfile]
        if not tls_verify:
            args.append("--tls-verify=false")
        self._sock = mine
        self._sock.settimeout(REQUEST_TIMEOUT_S)
        self._process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, pass_fds=(theirs.fileno(),))
        theirs.close()
        self.version = str(self.request("Initialize"))

    def request(self, method: str, *args: Any) -> Any:
        """Sends one request; returns its value, raises ProxyError with the proxy's text when it fails."""
        value, _pipe = self._call(method, list(args))
        return value

    def request_bytes(self, method: str, *args: Any) -> tuple[Any, bytes]:
        """A request whose payload comes on a pipe: returns the value and the payload."""
        value, pipe = self._call(method, list(args))
        if pipe is None:
            raise ProxyError(f"failed to invoke method {method}: no pipe in the reply")
        fd, pipeid = pipe
        chunks: list[bytes] = []

        def drain() -> None:
            with os.fdopen(fd, "rb") as reader:
                while True:
                    chunk = reader.read(65536)
                    if not chunk:
                        return
                    chunks.append(chunk)

        # The proxy closes its end of the pipe only once FinishPipe is asked for, as imageproxy.rs reads and
        # finishes concurrently (tokio::join!).
        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        self._call("FinishPipe", [pipeid])
        reader.join(REQUEST_TIMEOUT_S)
        return value, b"".join(chunks)

    def close(self) -> None:
        """Shutdown, then make sure the process is gone."""
        try:
            if self._process.poll() is None:
                self._call("Shutdown", [])
        except (ProxyError, OSError):
            pass
        self._sock.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def _call(self, method: str, args: list[Any]) -> tuple[Any, Optional[tuple[int, int]]]:
        try:
            self._sock.send(json.dumps({"method": method, "args": args}).encode())
            fds = array.array("i")
            data, ancdata, _flags, _addr = self._sock.recvmsg(MAX_MSG_SIZE, socket.CMSG_SPACE(fds.itemsize))
        except OSError as error:
            raise ProxyError(f"skopeo proxy unexpectedly exited during request method {method}: {error}") from error
        for level, kind, payload in ancdata:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(payload[:len(payload) - len(payload) % fds.itemsize])
        if not data:
            raise ProxyError(f"skopeo proxy unexpectedly exited during request method {method}")
        reply = json.loads(data)
        if not reply.get("success"):
            for fd in fds:
                os.close(fd)
            raise ProxyError(f"failed to invoke method {method}: {reply.get('error', '')}")
        pipe = (fds[0], int(reply.get("pipeid", 0))) if len(fds) > 0 else None
        return reply.get("value"), pipe
