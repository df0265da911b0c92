"""A small LSP client over stdio: frames JSON-RPC, matches responses to requests, answers
server requests, and lets a test wait for notifications."""

import json
import queue
import subprocess
import threading
import time


class LspError(Exception):
    pass


class LspClient:
    def __init__(self, argv, cwd=None, env=None):
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
            env=env
        )
        self.next_id = 1
        self.incoming = queue.Queue()
        self.notifications = []
        self.notification_times = []  # When each notification was read off the pipe.
        self.stderr_lines = []
        self.reader = threading.Thread(target=self._read_stdout, daemon=True)
        self.reader.start()
        self.err_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self.err_reader.start()

    # -- wire ---------------------------------------------------------------------------------
    def _read_stdout(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.incoming.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
            if length is None:
                self.incoming.put(LspError("frame without Content-Length"))
                continue
            body = out.read(length)
            try:
                self.incoming.put((time.monotonic(), json.loads(body)))
            except ValueError as e:
                self.incoming.put(LspError("server sent invalid JSON: %s" % e))

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr_lines.append(line.decode("utf-8", "replace"))

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout=60):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        msg = self._wait(lambda m: m.get("id") == rid and "method" not in m, timeout,
                         "response to %s" % method)
        if "error" in msg:
            raise LspError("%s failed: %s" % (method, msg["error"]))
        return msg.get("result")

    # -- waiting ------------------------------------------------------------------------------
    def _take(self, timeout):
        item = self.incoming.get(timeout=timeout)
        if item is None:
            raise LspError("server closed its output")
        if isinstance(item, Exception):
            raise item
        arrived, msg = item
        if "method" in msg and "id" in msg:  # A server request: answer so it never waits.
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
        elif "method" in msg:
            self.notifications.append(msg)
            self.notification_times.append(arrived)
        return msg

    def _wait(self, predicate, timeout, what):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LspError("timed out waiting for %s" % what)
            try:
                msg = self._take(left)
            except queue.Empty:
                raise LspError("timed out waiting for %s" % what)
            if predicate(msg):
                return msg

    def wait_publish(self, uri, predicate, timeout=60, what="diagnostics"):
        """Waits for a publishDiagnostics for uri whose params satisfy predicate, looking at the
        ones already received first."""
        return self.wait_publish_timed(uri, predicate, timeout, what)[0]

    def wait_publish_timed(self, uri, predicate, timeout=60, what="diagnostics", since=0):
        """wait_publish, also giving when the message arrived; only notifications received
        from index `since` on are considered."""
        for i in range(since, len(self.notifications)):
            msg = self.notifications[i]
            if self._is_diag_for(msg, uri) and predicate(msg["params"]):
                return msg["params"], self.notification_times[i]
        msg = self._wait(lambda m: self._is_diag_for(m, uri) and predicate(m["params"]),
                         timeout, what)
        return msg["params"], self.notification_times[-1]

    @staticmethod
    def _is_diag_for(msg, uri):
        return (msg.get("method") == "textDocument/publishDiagnostics"
                and msg["params"].get("uri") == uri)

    def drain(self, seconds):
        """Collects whatever arrives within seconds."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                self._take(left)
            except queue.Empty:
                return

    def wait_exit(self, timeout=30):
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.err_reader.join(timeout=5)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stderr(self):
        return "".join(self.stderr_lines)
