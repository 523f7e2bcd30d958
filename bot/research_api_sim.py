"""A local TikTok Research API: asyncio HTTP on 127.0.0.1 over a generated video set.

The tests run the collector against it, and `briefwatch demo` shows a collection run on it. It
implements the documented behaviour and the gotchas the public clients' issues report (issue 13):

- `POST /v2/oauth/token/` (form client_key, client_secret, grant_type=client_credentials) gives
  an `access_token` valid `token_ttl` seconds of the injectable clock; a query with an expired or
  unknown token answers 401 `access_token_invalid`;
- `POST /v2/research/video/query/?fields=...` evaluates `query` (`and`/`or`/`not` of EQ, IN, GT,
  GTE, LT, LTE conditions over music_id, hashtag_name, keyword, username, region_code, video_id,
  effect_id, create_date) over the videos created in [start_date, end_date] (UTC days, both
  inclusive, at most 30 days apart), oldest first;
- pagination: the first page opens a search (`search_id`, a snapshot of the result) and `cursor`
  is the offset into it; deleted and private videos keep their place in the snapshot but are not
  returned, so pages come back shorter than `max_count` (even empty) while `has_more` is true;
- a search id expires after `search_ttl_pages` pages or `search_ttl_seconds` (400
  invalid_params "Search Id ... is invalid or expired"); every `invalid_cursor_every`-th
  paging request answers "Invalid count or cursor";
- a query over more than `wide_window_days` days that matches more than `wide_window_records`
  videos answers 500, and costs a request all the same;
- `delay_seconds` before each answer, so a test can kill a client while a request is out;
- quotas: `daily_requests` requests and `daily_records` records per UTC day of the clock, then 429
  `rate_limit_exceeded` until 00:00 UTC; videos of the last `lag_days` are not yet searchable.

Every request is recorded in `world.log` (what was asked, the answer's status, the ids returned),
so a test asserts on what the client sent. Run by hand: `python -m bot.research_api_sim --port
8899` prints its URL and the credentials it accepts.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import random
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

GENERIC_TAGS = ("fyp", "foryou", "рекомендации", "рек", "тренды", "viral", "хочуврек", "duet")
FILLER_WORDS = ("утро", "кофе", "работа", "город", "прогулка", "вечер", "котик", "музыка", "друзья", "лето",
                "снег", "дорога", "семья", "спорт", "рецепт", "танец", "юмор", "школа", "море", "осень")
REGIONS = ("RU", "BY", "KZ", "UA", "DE", "US")


class SimClock:
    """A settable clock shared by the server and the client under test (aware UTC)."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self.now += delta

    def set(self, now: datetime) -> None:
        with self._lock:
            self.now = now


@dataclass
class SimSettings:
    client_key: str = "sim-client-key"
    client_secret: str = "sim-client-secret"
    token_ttl: float = 7200.0
    daily_requests: int = 1000
    daily_records: int = 100_000
    search_ttl_pages: int | None = None
    search_ttl_seconds: float | None = None
    invalid_cursor_every: int | None = None
    wide_window_days: int | None = None
    wide_window_records: int = 0
    lag_days: float = 0.0
    delay_seconds: float = 0.0  # before each answer (lets a test kill a client mid-request)


@dataclass(frozen=True)
class Campaign:
    """Videos answering one brief: `videos` of them posted in [start, end] with its sound and tags."""

    music_id: str | None
    hashtags: tuple[str, ...]
    caption: str | None
    start: datetime
    end: datetime
    videos: int


@dataclass
class LoggedRequest:
    path: str
    status: int
    body: dict[str, Any] = field(default_factory=dict)
    ids: tuple[str, ...] = ()
    at: datetime | None = None


@dataclass
class _Search:
    signature: str
    ids: list[str]
    created: datetime
    pages: int = 0


def generate_videos(seed: int, campaigns: Sequence[Campaign], *, background: int, start: datetime,
                    end: datetime, hidden_share: float = 0.05) -> list[dict[str, Any]]:
    """A reproducible video set: each campaign's videos plus `background` unrelated ones in [start, end].

    About `hidden_share` of all videos are deleted or private (`_hidden`): they hold their place in
    a search and make pages short. `_campaign` is the index of the campaign a video belongs to
    (None for background videos); like `_hidden` it is never served. Half the records spell `favourites_count`, half `favorites_count`.
    Some background videos use one campaign tag on their own, so a tag query finds more than the
    campaign (as on the platform).
    """
    rng = random.Random(seed)
    used: set[str] = set()
    videos: list[dict[str, Any]] = []

    def new_id(when: datetime) -> str:
        while True:
            vid = str((int(when.timestamp()) << 32) + rng.randrange(1 << 32))
            if vid not in used:
                used.add(vid)
                return vid

    def video(when: datetime, music_id: str, tags: list[str], caption: str, campaign: int | None) -> dict[str, Any]:
        text = " ".join([caption, *("#" + t for t in tags)]).strip()
        record: dict[str, Any] = {
            "id": new_id(when), "create_time": int(when.timestamp()), "username": f"user{rng.randrange(10**6)}",
            "region_code": rng.choice(REGIONS), "video_description": text, "music_id": music_id,
            "hashtag_names": [t.casefold() for t in tags], "effect_ids": [], "voice_to_text": None,
            "view_count": rng.randrange(100, 500_000), "like_count": rng.randrange(0, 20_000),
            "comment_count": rng.randrange(0, 500), "share_count": rng.randrange(0, 300),
            "_hidden": rng.random() < hidden_share, "_campaign": campaign,
        }
        record["favourites_count" if rng.random() < 0.5 else "favorites_count"] = rng.randrange(0, 900)
        return record

    span = max(1.0, (end - start).total_seconds())
    for index, c in enumerate(campaigns):
        c_span = max(1.0, (c.end - c.start).total_seconds())
        for _ in range(c.videos):
            when = c.start + timedelta(seconds=rng.uniform(0, c_span))
            tags = list(c.hashtags) + rng.sample(GENERIC_TAGS, 2)
            videos.append(video(when, c.music_id or str(rng.randrange(10**18, 10**19)), tags, c.caption or "", index))
    campaign_tags = [t for c in campaigns for t in c.hashtags]
    for _ in range(background):
        when = start + timedelta(seconds=rng.uniform(0, span))
        tags = rng.sample(GENERIC_TAGS, 3)
        if campaign_tags and rng.random() < 0.02:
            tags.append(rng.choice(campaign_tags))
        caption = " ".join(rng.sample(FILLER_WORDS, 4))
        videos.append(video(when, str(rng.randrange(10**18, 10**19)), tags, caption, None))
    videos.sort(key=lambda v: (v["create_time"], v["id"]))
    return videos


def _day(video: dict[str, Any]) -> str:
    return datetime.fromtimestamp(video["create_time"], tz=timezone.utc).strftime("%Y%m%d")


def _values(video: dict[str, Any], field_name: str) -> list[str]:
    if field_name == "hashtag_name":
        return [str(t).casefold() for t in video.get("hashtag_names") or []]
    if field_name == "effect_id":
        return [str(e) for e in video.get("effect_ids") or []]
    if field_name == "create_date":
        return [_day(video)]
    if field_name == "video_id":
        return [str(video["id"])]
    value = video.get(field_name)
    return [] if value is None else [str(value).casefold()]


def _holds(video: dict[str, Any], cond: dict[str, Any]) -> bool:
    name, op = cond.get("field_name"), cond.get("operation")
    wanted = [str(v).casefold() for v in cond.get("field_values") or []]
    if not isinstance(name, str) or op not in ("EQ", "IN", "GT", "GTE", "LT", "LTE") or not wanted:
        raise ValueError(f"bad condition {cond!r}")
    if name == "keyword":
        text = str(video.get("video_description") or "").casefold()
        return wanted[0] in text if op == "EQ" else any(w in text for w in wanted)
    have = _values(video, name)
    if op == "EQ":
        return wanted[0] in have
    if op == "IN":
        return any(w in have for w in wanted)
    compare = {"GT": lambda a, b: a > b, "GTE": lambda a, b: a >= b, "LT": lambda a, b: a < b,
               "LTE": lambda a, b: a <= b}[op]
    return any(compare(h, wanted[0]) for h in have)


def matches(video: dict[str, Any], query: dict[str, Any]) -> bool:
    """The API's semantics: every `and`, at least one `or` (when given), no `not`."""
    if not isinstance(query, dict) or not any(query.get(k) for k in ("and", "or", "not")):
        raise ValueError("query needs and/or/not conditions")
    ands, ors, nots = (list(query.get(k) or []) for k in ("and", "or", "not"))
    return (all(_holds(video, c) for c in ands) and (not ors or any(_holds(video, c) for c in ors))
            and not any(_holds(video, c) for c in nots))


class ResearchWorld:
    """The server's state and request handling, independent of the socket (thread-safe)."""

    def __init__(self, videos: list[dict[str, Any]], settings: SimSettings | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.videos = sorted(videos, key=lambda v: (v["create_time"], str(v["id"])))
        self._times = [v["create_time"] for v in self.videos]
        self.by_id = {str(v["id"]): v for v in videos}
        self.settings = settings or SimSettings()
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.log: list[LoggedRequest] = []
        self.tokens: dict[str, datetime] = {}
        self.searches: dict[str, _Search] = {}
        self.used: dict[date, list[int]] = {}  # day -> [requests, records]
        self._paging_requests = 0
        self._lock = threading.Lock()

    # --- what a test may ask -----------------------------------------------------------------

    def findable(self, query: dict[str, Any], start: date, end: date) -> set[str]:
        """Ids a complete crawl of `query` over [start, end] must return (visible, searchable)."""
        return {str(v["id"]) for v in self._candidates(query, start, end) if not v["_hidden"]}

    def query_requests(self) -> list[LoggedRequest]:
        return [r for r in self.log if r.path.startswith("/v2/research/")]

    # --- handling ----------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        with self._lock:
            parts = urlsplit(target)
            now = self.clock()
            if method == "POST" and parts.path == "/v2/oauth/token/":
                status, answer = self._token(dict(parse_qsl(body.decode("utf-8", "replace"))), now)
                self.log.append(LoggedRequest(parts.path, status, at=now))
                return status, answer
            if method == "POST" and parts.path == "/v2/research/video/query/":
                try:
                    request = json.loads(body or b"{}")
                except ValueError:
                    request = None
                status, answer, ids = self._query(request, dict(parse_qsl(parts.query)), headers, now)
                self.log.append(LoggedRequest(parts.path, status, request if isinstance(request, dict) else {},
                                              ids, now))
                return status, answer
            return 404, _error("not_found", f"no such endpoint {parts.path}")

    def _token(self, form: dict[str, str], now: datetime) -> tuple[int, dict[str, Any]]:
        s = self.settings
        if form.get("grant_type") != "client_credentials":
            return 400, {"error": "invalid_request", "error_description": "grant_type must be client_credentials"}
        if form.get("client_key") != s.client_key or form.get("client_secret") != s.client_secret:
            return 401, {"error": "invalid_client", "error_description": "Client key or secret is incorrect."}
        token = "act." + secrets.token_hex(16)
        self.tokens[token] = now + timedelta(seconds=s.token_ttl)
        return 200, {"access_token": token, "expires_in": int(s.token_ttl), "token_type": "Bearer"}

    def _query(self, request: Any, params: dict[str, str], headers: dict[str, str],
               now: datetime) -> tuple[int, dict[str, Any], tuple[str, ...]]:
        s = self.settings
        auth = headers.get("authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        if token not in self.tokens or self.tokens[token] <= now:
            return 401, _error("access_token_invalid", "The access token is invalid or not found in the request."), ()
        used = self.used.setdefault(now.date(), [0, 0])
        if used[0] >= s.daily_requests or used[1] >= s.daily_records:
            return 429, _error("rate_limit_exceeded", "Daily quota limit exceeded."), ()
        used[0] += 1  # from here on the request costs quota, whatever its answer
        if not isinstance(request, dict):
            return 400, _error("invalid_params", "The request body is not JSON."), ()
        try:
            start = datetime.strptime(str(request.get("start_date")), "%Y%m%d").date()
            end = datetime.strptime(str(request.get("end_date")), "%Y%m%d").date()
        except ValueError:
            return 400, _error("invalid_params", "Invalid start_date or end_date."), ()
        if end < start or (end - start).days > 30:
            return 400, _error("invalid_params", "end_date must be no more than 30 days after start_date."), ()
        max_count = request.get("max_count", 20)
        cursor = request.get("cursor", 0)
        if not isinstance(max_count, int) or not 1 <= max_count <= 100 or not isinstance(cursor, int) or cursor < 0:
            return 400, _error("invalid_params", "Invalid count or cursor"), ()
        query = request.get("query")
        try:
            candidates = self._candidates(query, start, end)
        except ValueError as exc:
            return 400, _error("invalid_params", f"Invalid query: {exc}"), ()
        signature = json.dumps([query, start.isoformat(), end.isoformat()], sort_keys=True)
        search_id = request.get("search_id")
        if search_id:
            search = self.searches.get(str(search_id))
            expired = search is None or search.signature != signature or (
                s.search_ttl_pages is not None and search.pages >= s.search_ttl_pages) or (
                s.search_ttl_seconds is not None and (now - search.created).total_seconds() > s.search_ttl_seconds)
            if expired:
                return 400, _error("invalid_params", f"Search Id {search_id} is invalid or expired"), ()
            self._paging_requests += 1
            if s.invalid_cursor_every and self._paging_requests % s.invalid_cursor_every == 0:
                return 400, _error("invalid_params", "Invalid count or cursor"), ()
            assert search is not None
        else:
            if (s.wide_window_days is not None and (end - start).days + 1 > s.wide_window_days
                    and len(candidates) > s.wide_window_records):
                return 500, _error("internal_error", "Something went wrong. Please try again later."), ()
            search_id = secrets.token_hex(8)
            search = self.searches[search_id] = _Search(signature, [str(v["id"]) for v in candidates], now)
        if cursor > len(search.ids):
            return 400, _error("invalid_params", "Invalid count or cursor"), ()
        search.pages += 1
        window = search.ids[cursor:cursor + max_count]
        fields = [f for f in params.get("fields", "id").split(",") if f]
        shown = [self.by_id[i] for i in window if not self.by_id[i]["_hidden"]]
        used[1] += len(shown)
        following = cursor + len(window)
        data = {"videos": [_fields(v, fields) for v in shown], "cursor": following,
                "has_more": following < len(search.ids), "search_id": search_id}
        return 200, {"data": data, "error": {"code": "ok", "message": "", "log_id": secrets.token_hex(6)}}, tuple(
            str(v["id"]) for v in shown)

    def _candidates(self, query: Any, start: date, end: date) -> list[dict[str, Any]]:
        """Videos created on [start, end] (UTC days) and already searchable that match, oldest first."""
        if not isinstance(query, dict) or not any(query.get(k) for k in ("and", "or", "not")):
            raise ValueError("query needs and/or/not conditions")
        low = datetime(start.year, start.month, start.day, tzinfo=timezone.utc).timestamp()
        high = datetime(end.year, end.month, end.day, tzinfo=timezone.utc).timestamp() + 86400
        cutoff = (self.clock() - timedelta(days=self.settings.lag_days)).timestamp()
        first, last = bisect.bisect_left(self._times, low), bisect.bisect_left(self._times, min(high, cutoff + 1))
        return [v for v in self.videos[first:last] if v["create_time"] <= cutoff and matches(v, query)]


def _fields(video: dict[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    out = {"id": video["id"]}
    for name in fields:
        if name == "favorites_count":
            for spelling in ("favorites_count", "favourites_count"):
                if spelling in video:
                    out[spelling] = video[spelling]
        elif name in video and not name.startswith("_"):
            out[name] = video[name]
    return out


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "log_id": secrets.token_hex(6)}}


# --- the socket ------------------------------------------------------------------------------------

async def _serve_connection(world: ResearchWorld, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            method, target, _version = line.decode("latin-1").split(" ", 2)
            headers: dict[str, str] = {}
            while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = header.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
            status, answer = world.handle(method, target, headers, body)
            if world.settings.delay_seconds:
                await asyncio.sleep(world.settings.delay_seconds)
            payload = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            writer.write(f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}\r\nContent-Type: application/json\r\n"
                         f"Content-Length: {len(payload)}\r\n\r\n".encode("latin-1") + payload)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, ValueError):
        pass
    finally:
        writer.close()  # the loop is still running: a shutdown cancels connections before stopping it


_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests",
            500: "Internal Server Error"}


class SimServer:
    """The world behind a real socket, its asyncio loop in a background thread; `url` once started."""

    def __init__(self, world: ResearchWorld, host: str = "127.0.0.1", port: int = 0) -> None:
        self.world = world
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> Self:
        ready = threading.Event()

        async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            self._tasks.add(task)
            try:
                await _serve_connection(self.world, reader, writer)
            except asyncio.CancelledError:
                pass  # the server is shutting down; end quietly (asyncio would report the cancellation)
            finally:
                self._tasks.discard(task)

        def run() -> None:
            loop = self._loop = asyncio.new_event_loop()
            self._server = loop.run_until_complete(asyncio.start_server(connection, self.host, self.port))
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name="research-api-sim", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    async def _shutdown(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()
        asyncio.get_running_loop().stop()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
            self._thread.join(10)
            self._loop = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Serve a generated world by hand, with the real clock, until Ctrl-C."""
    parser = argparse.ArgumentParser(description="A local TikTok Research API over a generated video set.")
    parser.add_argument("--port", type=int, default=8899)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--videos", type=int, default=5000, help="background videos over the last 60 days")
    parser.add_argument("--daily-requests", type=int, default=1000)
    args = parser.parse_args(argv)
    now = datetime.now(timezone.utc)
    videos = generate_videos(args.seed, (), background=args.videos, start=now - timedelta(days=60), end=now)
    settings = SimSettings(daily_requests=args.daily_requests, wide_window_days=14, wide_window_records=2000)
    server = SimServer(ResearchWorld(videos, settings), port=args.port).start()
    print(f"Research API at {server.url} (client_key {settings.client_key!r}, client_secret "
          f"{settings.client_secret!r}); Ctrl-C stops", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
