"""The Telegram Bot API over httpx: the only module of briefwatch that imports httpx for the bot.

Every failure leaves as a `BotApiError` (an `AlertError`), converted where it enters, with what
delivery needs to decide:

    429                       retry_after = parameters.retry_after (seconds)
    5xx, timeouts, dropped    retryable (permanent False, retry_after None)
    connections, bad JSON
    400, 403                  permanent: this message to this chat will never go through
    401, 404                  bot_level: the token or URL is wrong; nothing is sent until it is
                              fixed, and no alert is given up because of it

The token is part of every URL, so URLs are never logged or put into messages.
"""

from __future__ import annotations

import logging
from typing import Any, Self

import httpx

from bot.config import Config
from bot.errors import AlertError
from bot.redaction import redact

log = logging.getLogger(__name__)
# httpx logs every request URL at INFO, and a Bot API URL contains the token.
logging.getLogger("httpx").setLevel(logging.WARNING)

DEFAULT_TIMEOUT = 10.0


class BotApiError(AlertError):
    """A Bot API call failed; `method`, `error_code` (HTTP/Telegram code, None for network)."""

    def __init__(self, method: str, message: str, *, error_code: int | None = None,
                 retry_after: float | None = None, permanent: bool = False, bot_level: bool = False) -> None:
        super().__init__(f"{method}: {message}", retry_after=retry_after, permanent=permanent)
        self.method = method
        self.error_code = error_code
        self.description = message
        self.bot_level = bot_level


class BotApi:
    """A thin async Bot API client; `transport` lets tests use `httpx.MockTransport`."""

    def __init__(self, token: str, api_url: str = "https://api.telegram.org", *,
                 timeout: float = DEFAULT_TIMEOUT, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._base = f"{api_url.rstrip('/')}/bot{token}/"
        self._token = token
        self._bad_url = _url_problem(api_url)
        self._username: str | None = None
        self.timeout = timeout
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(timeout), transport=transport)

    @classmethod
    def from_config(cls, config: Config, **kwargs: Any) -> BotApi | None:
        """None when no token is configured: alerts then stay in the outbox."""
        token = config["bot.token"]
        if not token:
            return None
        return cls(token, config["bot.api_url"], **kwargs)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def call(self, method: str, params: dict[str, Any], *, timeout: float | None = None) -> Any:
        """POST `params` as JSON; the `result` of an ok answer, else a BotApiError."""
        if self._bad_url:
            raise BotApiError(method, f"bot.api_url is not a usable URL: {self._bad_url}", bot_level=True)
        try:
            response = await self._http.post(
                self._base + method, json=params,
                timeout=httpx.Timeout(timeout) if timeout is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TimeoutException as exc:
            raise BotApiError(method, f"timed out ({exc.__class__.__name__})") from exc
        except httpx.TransportError as exc:  # refused, reset, closed without an answer
            raise BotApiError(method, f"connection failed ({exc.__class__.__name__})") from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise BotApiError(method, f"bot.api_url is not a usable URL ({redact(str(exc), [self._token])})",
                              bot_level=True) from None
        try:
            body = response.json()
        except ValueError as exc:
            raise _http_error(method, response.status_code, "answer is not JSON") from exc
        if not isinstance(body, dict):
            raise _http_error(method, response.status_code, "answer is not a JSON object")
        if body.get("ok") is True:
            return body.get("result")
        code = body.get("error_code") or response.status_code
        # A proxy or self-hosted server may echo the request path, token included.
        description = redact(str(body.get("description") or f"HTTP {response.status_code}"), [self._token])
        params_ = body.get("parameters") or {}
        if code == 429:
            retry_after = params_.get("retry_after") if isinstance(params_, dict) else None
            if not isinstance(retry_after, (int, float)) or isinstance(retry_after, bool):
                retry_after = 1.0
            raise BotApiError(method, description, error_code=429, retry_after=float(retry_after))
        raise _http_error(method, int(code), description)

    async def send_message(self, chat_id: int, text: str, *, parse_mode: str | None = "HTML") -> int | None:
        """Send one message (≤ 4,096 characters); returns Telegram's message_id."""
        params: dict[str, Any] = {"chat_id": chat_id, "text": text, "link_preview_options": {"is_disabled": True}}
        if parse_mode:
            params["parse_mode"] = parse_mode
        result = await self.call("sendMessage", params)
        return result.get("message_id") if isinstance(result, dict) else None

    async def username(self) -> str | None:
        """The bot's own @username (getMe, asked once): `/cmd@name` for another bot is not ours."""
        if self._username is None:
            result = await self.call("getMe", {})
            name = result.get("username") if isinstance(result, dict) else None
            self._username = name if isinstance(name, str) else ""
        return self._username or None

    async def get_updates(self, offset: int | None, *, timeout: int = 0, limit: int = 100) -> list[dict[str, Any]]:
        """Long-poll for updates (messages only); the HTTP timeout outlasts the poll."""
        params: dict[str, Any] = {"timeout": timeout, "limit": limit, "allowed_updates": ["message"]}
        if offset is not None:
            params["offset"] = offset
        result = await self.call("getUpdates", params, timeout=self.timeout + timeout)
        return [u for u in result if isinstance(u, dict)] if isinstance(result, list) else []


def _url_problem(api_url: str) -> str | None:
    """Why `api_url` cannot be called (checked up front: a port past 65535 otherwise surfaces as an
    OverflowError from deep inside the connection pool), or None."""
    try:
        url = httpx.URL(api_url)
    except httpx.InvalidURL as exc:
        return redact(str(exc))
    if url.scheme not in ("http", "https") or not url.host:
        return "expected http(s)://host[:port]"
    if url.port is not None and not 0 < url.port <= 65535:
        return f"port {url.port} is not in 1–65535"
    return None


def _http_error(method: str, code: int, description: str) -> BotApiError:
    if code in (401, 404):
        return BotApiError(method, description, error_code=code, bot_level=True)
    if code in (400, 403):
        return BotApiError(method, description, error_code=code, permanent=True)
    return BotApiError(method, description, error_code=code)  # 5xx and anything odd: retry
