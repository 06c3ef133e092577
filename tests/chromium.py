"""Headless Chromium driven over the DevTools protocol (websocket-client): load a page, then report what it
requested from the network, what it logged as errors, and evaluate expressions in it."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import websocket

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-port=0", "--remote-allow-origins=*"]
ENSURE = Path(__file__).parent / "ensure_chromium.sh"


def chromium_path() -> str:
    """The chromium binary; installed by tests/ensure_chromium.sh (apt) when missing."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        subprocess.run(["sh", str(ENSURE)], check=True, timeout=900)
        found = shutil.which("chromium")
    return found


@dataclass
class PageLoad:
    requests: list[str] = field(default_factory=list)  # every URL the page asked for, the page itself included
    errors: list[str] = field(default_factory=list)  # exceptions, console errors, error log entries
    values: dict[str, object] = field(default_factory=dict)  # expression → its value after load


def load_page(url: str, expressions: list[str], timeout: float = 60.0) -> PageLoad:
    with tempfile.TemporaryDirectory() as profile:
        process = subprocess.Popen([chromium_path(), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            socket = websocket.create_connection(_page_socket(process, timeout), timeout=timeout)
            try:
                return _drive(socket, url, expressions, timeout)
            finally:
                socket.close()
        finally:
            process.kill()
            process.wait(30)


def _page_socket(process: subprocess.Popen, timeout: float) -> str:
    """The websocket URL of the about:blank page (from the port Chromium prints)."""
    import urllib.request

    deadline = time.monotonic() + timeout
    port = None
    while port is None and time.monotonic() < deadline:
        line = process.stderr.readline()
        match = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
        if match:
            port = match.group(1)
        elif not line and process.poll() is not None:
            raise RuntimeError("chromium exited before DevTools started")
    while time.monotonic() < deadline:
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5))
        pages = [t for t in targets if t["type"] == "page"]
        if pages:
            return pages[0]["webSocketDebuggerUrl"]
        time.sleep(0.2)
    raise TimeoutError("no page target")


def _drive(socket, url: str, expressions: list[str], timeout: float) -> PageLoad:
    result = PageLoad()
    ids = iter(range(1, 10_000))

    def send(method: str, **params) -> int:
        message_id = next(ids)
        socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        return message_id

    def wait_for(predicate) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = json.loads(socket.recv())
            _record(message, result)
            if predicate(message):
                return message
        raise TimeoutError("chromium did not answer")

    for method in ("Network.enable", "Runtime.enable", "Log.enable", "Page.enable"):
        sent = send(method)
        wait_for(lambda m, i=sent: m.get("id") == i)
    send("Page.navigate", url=url)
    wait_for(lambda m: m.get("method") == "Page.loadEventFired")
    for expression in expressions:
        sent = send("Runtime.evaluate", expression=expression, returnByValue=True)
        answer = wait_for(lambda m, i=sent: m.get("id") == i)
        result.values[expression] = answer["result"]["result"].get("value")
    return result


def _record(message: dict, result: PageLoad) -> None:
    method, params = message.get("method"), message.get("params", {})
    if method == "Network.requestWillBeSent":
        result.requests.append(params["request"]["url"])
    elif method == "Runtime.exceptionThrown":
        result.errors.append(params["exceptionDetails"].get("text", "exception"))
    elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
        result.errors.append(str(params.get("args")))
    elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
        result.errors.append(params["entry"].get("text", ""))
