"""The TikTok Research API over httpx (video query only): the collector's one HTTP client.

Every failure leaves as a `ResearchApiError` (a BriefwatchError), converted where it enters, typed
by what the collector must do about it:

    QuotaExhausted   429 rate_limit_exceeded: stop for today; `resets_at` is the next 00:00 UTC
    SearchExpired    400 invalid_params "search_id ... invalid or expired" / "Invalid count or
                     cursor" mid-pagination: restart that window (what was stored stays)
    ServerFailure    5xx (costs quota all the same): split the window, or give up on a one-day one
    CredentialsRefused  the token endpoint refused the client key/secret, or a fresh token got 401
    ResearchApiError anything else: a bad query (`code` invalid_params), network failures, junk

The access token (about 2 h) is fetched lazily, refreshed `REFRESH_MARGIN` before it expires and
once more when a query answers 401. The client key, secret and token are never logged and never
put into a message: httpx logs only URLs (no secret is in one), and `repr` shows neither.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Self

import httpx

from bot.config import DEFAULT_RESEARCH_API_URL
from bot.errors import BriefwatchError

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = DEFAULT_RESEARCH_API_URL
TOKEN_PATH = "/v2/oauth/token/"
QUERY_PATH = "/v2/research/video/query/"
REFRESH_MARGIN = timedelta(minutes=5)
MAX_COUNT = 100  # the API's largest page
DEFAULT_TIMEOUT = 60.0  # the API is slow on wide windows; a page of 100 can take tens of seconds
# What the matcher and the video importer (bot.importers.video_formats.from_research) read.
FIELDS: tuple[str, ...] = (
    "id", "create_time", "username", "region_code", "video_description", "music_id", "hashtag_names",
    "effect_ids", "voice_to_text", "view_count", "like_count", "comment_count", "share_count",
    "favorites_count",
)
# Messages of the API's invalid_params that mean "this pagination is gone, start the window again".
_RESTART_HINTS = ("search_id", "search id", "invalid count or cursor")


class ResearchApiError(BriefwatchError):
    """The Research API failed; `status` (HTTP, None for network) and `code` (the API's error code)."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None,
                 log_id: str | None = None) -> None:
        super().__init__(f"Research API: {message}")
        self.status = status
        self.code = code
        self.log_id = log_id


class QuotaExhausted(ResearchApiError):
    """429: the day's requests (or records) are spent; the API resets at 00:00 UTC."""

    def __init__(self, message: str, *, resets_at: datetime, status: int | None = 429,
                 code: str | None = "rate_limit_exceeded") -> None:
        super().__init__(message, status=status, code=code)
        self.resets_at = resets_at


class SearchExpired(ResearchApiError):
    """The search_id or cursor of a pagination is no longer valid: restart the window."""


class ServerFailure(ResearchApiError):
    """A 5xx answer (the API's usual answer to a window too wide to serve)."""


class CredentialsRefused(ResearchApiError):
    """The client key/secret are wrong, or the API refuses a token it just issued."""


@dataclass(frozen=True)
class Page:
    """One answer of the video query: `videos` as the API sent them."""

    videos: list[dict[str, Any]]
    cursor: int | None
    has_more: bool
    search_id: str | None


def next_midnight(now: datetime) -> datetime:
    """The next 00:00 UTC after `now`: when the API's daily quota resets."""
    day = now.astimezone(timezone.utc).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class ResearchClient:
    """A synchronous client (the collector runs in a worker thread); `transport` for tests."""

    def __init__(self, base_url: str, client_key: str, client_secret: str, *,
                 clock: Callable[[], datetime] = utcnow, timeout: float = DEFAULT_TIMEOUT,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._key = client_key
        self._secret = client_secret
        self._clock = clock
        self._http = httpx.Client(timeout=httpx.Timeout(timeout), transport=transport)
        self._token: str | None = None
        self._expires_at: datetime | None = None
        self.tokens_fetched = 0

    def __repr__(self) -> str:
        return f"ResearchClient({self.base_url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- token ----------------------------------------------------------------------------------

    def authenticate(self) -> None:
        """Get a token now if none is valid: wrong credentials or an unreachable API fail before any work."""
        self._valid_token()

    def _valid_token(self) -> str:
        if self._token is None or self._expires_at is None or self._clock() >= self._expires_at - REFRESH_MARGIN:
            self._fetch_token()
        assert self._token is not None
        return self._token

    def _fetch_token(self) -> None:
        self._token = None
        data = {"client_key": self._key, "client_secret": self._secret, "grant_type": "client_credentials"}
        response = self._send("POST", TOKEN_PATH, data=data,
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
        body = _json(response)
        token = body.get("access_token") if isinstance(body, dict) else None
        if response.status_code >= 400 or not isinstance(token, str) or not token:
            error = body.get("error") if isinstance(body, dict) else None
            code = error if isinstance(error, str) else error.get("code") if isinstance(error, dict) else None
            code = code if isinstance(code, str) else None
            if response.status_code in (400, 401, 403) or code in ("invalid_client", "unauthorized_client"):
                raise CredentialsRefused("the token endpoint refused research_api.client_key / client_secret "
                                         f"({code or response.status_code})", status=response.status_code,
                                         code=code)
            raise ResearchApiError(f"no access token in the answer (HTTP {response.status_code})",
                                   status=response.status_code, code=code)
        expires_in = body.get("expires_in")
        seconds = float(expires_in) if isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool) else 7200.0
        self._token = token
        self._expires_at = self._clock() + timedelta(seconds=seconds)
        self.tokens_fetched += 1
        log.info("Research API: new access token, valid %.0f s", seconds)

    # --- query ----------------------------------------------------------------------------------

    def query_videos(self, query: dict[str, Any], start: date, end: date, *, cursor: int | None = None,
                     search_id: str | None = None, max_count: int = MAX_COUNT,
                     fields: Sequence[str] = FIELDS) -> Page:
        """One page of `query` over [start, end] (UTC days, inclusive): a Page or a ResearchApiError."""
        body: dict[str, Any] = {"query": query, "start_date": start.strftime("%Y%m%d"),
                                "end_date": end.strftime("%Y%m%d"), "max_count": max_count}
        if cursor is not None:
            body["cursor"] = cursor
        if search_id is not None:
            body["search_id"] = search_id
        params = {"fields": ",".join(fields)}
        response = self._query(body, params)
        if response.status_code == 401:  # revoked or expired early: one fresh token, one retry
            self._token = None
            response = self._query(body, params)
            if response.status_code == 401:
                raise CredentialsRefused("a fresh access token was refused (401)", status=401)
        return _page(response, self._clock())

    def _query(self, body: dict[str, Any], params: dict[str, str]) -> httpx.Response:
        token = self._valid_token()
        return self._send("POST", QUERY_PATH, json=body, params=params,
                          headers={"Authorization": f"Bearer {token}"})

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        url = self.base_url + path
        try:
            return self._http.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise ResearchApiError(f"{path}: timed out ({exc.__class__.__name__})") from exc
        except httpx.TransportError as exc:
            raise ResearchApiError(f"cannot reach {self.base_url}: {exc.__class__.__name__}: {exc}") from exc
        except httpx.InvalidURL as exc:
            raise ResearchApiError(f"research_api.base_url is not a URL: {self.base_url!r}") from exc


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _page(response: httpx.Response, now: datetime) -> Page:
    body = _json(response)
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    code = error.get("code") if isinstance(error.get("code"), str) else None
    message = str(error.get("message") or "")[:300]
    log_id = error.get("log_id") if isinstance(error.get("log_id"), str) else None
    status = response.status_code
    if status == 429 or code == "rate_limit_exceeded":
        raise QuotaExhausted(f"daily quota spent ({message or 'rate_limit_exceeded'})", resets_at=next_midnight(now))
    if status >= 500:
        raise ServerFailure(f"HTTP {status} {code or ''} {message}".strip(), status=status, code=code, log_id=log_id)
    if status >= 400 or (code not in (None, "ok")):
        if code == "invalid_params" and any(hint in message.casefold() for hint in _RESTART_HINTS):
            raise SearchExpired(message, status=status, code=code, log_id=log_id)
        raise ResearchApiError(f"HTTP {status} {code or ''}: {message}".strip(), status=status, code=code,
                               log_id=log_id)
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("videos", []), list):
        raise ResearchApiError(f"HTTP {status}: an answer without data.videos", status=status)
    cursor = data.get("cursor")
    search_id = data.get("search_id")
    return Page(
        videos=[v for v in data.get("videos") or [] if isinstance(v, dict)],
        cursor=int(cursor) if isinstance(cursor, (int, str)) and str(cursor).isdigit() else None,
        has_more=data.get("has_more") is True,
        search_id=str(search_id) if search_id not in (None, "") else None,
    )
