"""A real HTTP server on 127.0.0.1 that speaks the part of the Bot API briefwatch uses.

Why a server and not a mock: delivery must survive what only a real socket does (a connection
dropped mid-request, a reply that never comes), and the "under 2 s, correctly escaped" check of
issue 6 needs something the daemon can talk to. Stdlib only (`http.server` in a thread).

- `sendMessage` checks the text like Telegram does for `parse_mode=HTML` (known tags only, all
  balanced, `<`, `>`, `&` escaped, at most 4,096 UTF-16 units once parsed) and answers 400
  "can't parse entities" / "message is too long" otherwise. Accepted messages land in `sent`
  with their visible text (`plain`).
- `getUpdates` serves updates queued with `push_message`, honours `offset` (confirming earlier
  updates) and long-polls up to `timeout` seconds.
- `inject(method, *faults)` queues faults for the next calls of `method`: `Fault.error(429,
  retry_after=3)`, `Fault.error(500)`, `Fault.html_5xx()` (a proxy's HTML page), `Fault.drop()`
  (close the connection without an answer), `Fault.hang(seconds)` (answer nothing for that long,
  then drop: a client timeout), `Fault.accept_then_hang(seconds)` (deliver the message, then
  hang: Telegram got it but the ok never arrives), `Fault.echo_path(code)` (an error whose
  description quotes the request line, token and all, as some proxies and self-hosted servers do).
- Every request is recorded in `requests` (method, params, when).
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "span", "tg-spoiler", "blockquote", "tg-emoji"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+=\"[^\"<>]*\")*)\s*>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class EntityError(ValueError):
    pass


def parse_telegram_html(text: str) -> str:
    """The visible text of Telegram HTML, or EntityError as Telegram would refuse it."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "<":
            m = _TAG.match(text, i)
            if m is None:
                raise EntityError(f"unsupported start tag at byte offset {i}")
            closing, name = m.group(1) == "/", m.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise EntityError(f"unsupported start tag \"{name}\" at byte offset {i}")
            if closing:
                if not stack or stack[-1] != name:
                    raise EntityError(f"unmatched end tag at byte offset {i}, expected \"</{stack[-1] if stack else ''}>\"")
                stack.pop()
            else:
                stack.append(name)
            i = m.end()
        elif c == "&":
            m = _ENTITY.match(text, i)
            if m is None:
                raise EntityError(f"unsupported entity at byte offset {i}")
            out.append(html.unescape(m.group(0)))
            i = m.end()
        elif c == ">":
            raise EntityError(f"unexpected end tag character at byte offset {i}")
        else:
            out.append(c)
            i += 1
    if stack:
        raise EntityError(f"can't find end tag corresponding to start tag \"{stack[-1]}\"")
    return "".join(out)


@dataclass(frozen=True)
class Fault:
    kind: str
    code: int = 0
    retry_after: float | None = None
    seconds: float = 0.0
    description: str = ""

    @classmethod
    def error(cls, code: int, *, retry_after: float | None = None, description: str = "") -> Fault:
        return cls("error", code=code, retry_after=retry_after, description=description)

    @classmethod
    def html_5xx(cls) -> Fault:
        return cls("html_5xx", code=502)

    @classmethod
    def drop(cls) -> Fault:
        return cls("drop")

    @classmethod
    def hang(cls, seconds: float) -> Fault:
        return cls("hang", seconds=seconds)

    @classmethod
    def echo_path(cls, code: int) -> Fault:
        return cls("echo_path", code=code)

    @classmethod
    def accept_then_hang(cls, seconds: float) -> Fault:
        return cls("accept_then_hang", seconds=seconds)


@dataclass
class Recorded:
    method: str
    params: dict[str, Any]
    at: float


@dataclass
class SentMessage:
    chat_id: int
    text: str
    plain: str
    parse_mode: str | None
    message_id: int
    at: float


@dataclass
class _State:
    token: str
    requests: list[Recorded] = field(default_factory=list)
    sent: list[SentMessage] = field(default_factory=list)
    faults: dict[str, deque[Fault]] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    next_update_id: int = 1000
    next_message_id: int = 1
    cond: threading.Condition = field(default_factory=threading.Condition)
    stopping: bool = False


class BotApiServer:
    """Start with `with BotApiServer() as server:`; `server.url` is the `bot.api_url`."""

    def __init__(self, token: str = "123456:TEST-token") -> None:
        self.token = token
        self.state = _State(token)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle

    def start(self) -> Self:
        handler = type("Handler", (_Handler,), {"state": self.state})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="bot-api-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self.state.cond:
            self.state.stopping = True
            self.state.cond.notify_all()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._httpd is not None
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    # --- test controls

    def inject(self, method: str, *faults: Fault) -> None:
        with self.state.cond:
            self.state.faults.setdefault(method, deque()).extend(faults)

    def push_message(self, chat_id: int, text: str, *, from_id: int | None = None, chat_type: str | None = None) -> int:
        """Queue an incoming message update; returns its update_id."""
        with self.state.cond:
            update_id = self.state.next_update_id
            self.state.next_update_id += 1
            self.state.updates.append({
                "update_id": update_id,
                "message": {
                    "message_id": update_id, "date": int(time.time()), "text": text,
                    "chat": {"id": chat_id, "type": chat_type or ("private" if chat_id > 0 else "supergroup")},
                    "from": {"id": from_id if from_id is not None else abs(chat_id), "is_bot": False, "first_name": "T"},
                },
            })
            self.state.cond.notify_all()
            return update_id

    @property
    def requests(self) -> list[Recorded]:
        with self.state.cond:
            return list(self.state.requests)

    @property
    def sent(self) -> list[SentMessage]:
        with self.state.cond:
            return list(self.state.sent)

    def calls(self, method: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method]


class _Handler(BaseHTTPRequestHandler):
    state: _State
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._handle({})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        ctype = self.headers.get("Content-Type", "")
        params: dict[str, Any]
        if "json" in ctype and body:
            params = json.loads(body)
        else:
            params = dict(parse_qsl(body.decode()))
        self._handle(params)

    def _handle(self, params: dict[str, Any]) -> None:
        m = re.fullmatch(r"/bot([^/]+)/(\w+)", self.path.split("?")[0])
        if m is None or m.group(1) != self.state.token:
            self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        method = m.group(2)
        st = self.state
        with st.cond:
            st.requests.append(Recorded(method, params, time.monotonic()))
            queue = st.faults.get(method)
            fault = queue.popleft() if queue else None
        if fault is not None:
            if fault.kind == "error":
                body: dict[str, Any] = {"ok": False, "error_code": fault.code,
                                        "description": fault.description or _DESCRIPTIONS.get(fault.code, "Error")}
                if fault.retry_after is not None:
                    body["parameters"] = {"retry_after": fault.retry_after}
                    body["description"] = f"Too Many Requests: retry after {fault.retry_after}"
                self._reply(fault.code, body)
                return
            if fault.kind == "echo_path":
                url = f"http://{self.headers.get('Host', '')}{self.path}"
                self._reply(fault.code, {"ok": False, "error_code": fault.code,
                                         "description": f"{self.command} {self.path} failed; see {url}"})
                return
            if fault.kind == "html_5xx":
                self._reply_raw(502, b"<html><body>502 Bad Gateway</body></html>", "text/html")
                return
            if fault.kind in ("drop", "hang"):
                time.sleep(fault.seconds)
                self.close_connection = True
                return
        if method == "sendMessage":
            status, answer = self._send_message(params)
        elif method == "getUpdates":
            status, answer = self._get_updates(params)
        elif method == "getMe":
            status, answer = 200, {"ok": True, "result": {"id": 1, "is_bot": True, "username": "briefwatch_test_bot"}}
        else:
            status, answer = 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        if fault is not None and fault.kind == "accept_then_hang":
            time.sleep(fault.seconds)
            self.close_connection = True
            return
        self._reply(status, answer)

    def _send_message(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        text = str(params.get("text") or "")
        mode = params.get("parse_mode")
        try:
            plain = parse_telegram_html(text) if mode == "HTML" else text
        except EntityError as exc:
            return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: can't parse entities: {exc}"}
        if not plain.strip():
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
        if len(plain.encode("utf-16-le")) // 2 > 4096:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"}
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, ValueError):
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
        with self.state.cond:
            message_id = self.state.next_message_id
            self.state.next_message_id += 1
            self.state.sent.append(SentMessage(chat_id, text, plain, mode, message_id, time.monotonic()))
        return 200, {"ok": True, "result": {"message_id": message_id, "chat": {"id": chat_id}, "text": plain}}

    def _get_updates(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        st = self.state
        with st.cond:
            if offset:
                st.updates = [u for u in st.updates if u["update_id"] >= offset]
            while True:
                ready = [u for u in st.updates if u["update_id"] >= offset]
                left = deadline - time.monotonic()
                if ready or left <= 0 or st.stopping:
                    break
                st.cond.wait(left)
        return 200, {"ok": True, "result": ready[: int(params.get("limit") or 100)]}

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        self._reply_raw(status, json.dumps(body).encode(), "application/json")

    def _reply_raw(self, status: int, data: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


_DESCRIPTIONS = {
    400: "Bad Request",
    403: "Forbidden: bot was blocked by the user",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
