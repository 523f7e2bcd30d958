"""The Research API client's error conversion, over httpx.MockTransport: every answer the API (or a
proxy in front of it) may give becomes one of our errors, typed by what the collector must do."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timezone

import httpx
import pytest

from bot.research_api import (
    CredentialsRefused,
    Page,
    QuotaExhausted,
    ResearchApiError,
    ResearchClient,
    SearchExpired,
    ServerFailure,
)

NOW = datetime(2026, 3, 10, 22, 15, tzinfo=timezone.utc)
QUERY = {"and": [{"operation": "EQ", "field_name": "music_id", "field_values": ["1"]}]}


def _client(answer: Callable[[httpx.Request], httpx.Response]) -> ResearchClient:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v2/oauth/token/":
            return httpx.Response(200, json={"access_token": "act.x", "expires_in": 7199})
        return answer(request)

    return ResearchClient("https://api.example", "key", "s3cret", clock=lambda: NOW,
                          transport=httpx.MockTransport(handler))


def _query(answer: Callable[[httpx.Request], httpx.Response]) -> object:
    with _client(answer) as client:
        return client.query_videos(QUERY, date(2026, 3, 1), date(2026, 3, 2), cursor=100, search_id="abc")


def _error(code: str, message: str, status: int = 400) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _r: httpx.Response(status, json={"error": {"code": code, "message": message, "log_id": "L1"}})


def test_the_request_is_what_the_documentation_asks_for() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": {"videos": [{"id": 7}], "cursor": 200, "has_more": True,
                                                  "search_id": "abc"}, "error": {"code": "ok"}})

    page = _query(answer)
    (request,) = seen
    body = json.loads(request.content)
    assert body == {"query": QUERY, "start_date": "20260301", "end_date": "20260302", "max_count": 100,
                    "cursor": 100, "search_id": "abc"}
    assert request.headers["authorization"] == "Bearer act.x"
    assert "favorites_count" in request.url.params["fields"].split(",")
    assert page == Page(videos=[{"id": 7}], cursor=200, has_more=True, search_id="abc")


@pytest.mark.parametrize(("answer", "error", "says"), [
    (_error("rate_limit_exceeded", "quota", 429), QuotaExhausted, "daily quota spent"),
    (_error("invalid_params", "Search Id 123 is invalid or expired"), SearchExpired, "invalid or expired"),
    (_error("invalid_params", "Invalid count or cursor"), SearchExpired, "Invalid count or cursor"),
    (_error("invalid_params", "Invalid query: field_name"), ResearchApiError, "HTTP 400 invalid_params"),
    (_error("internal_error", "Something went wrong", 500), ServerFailure, "HTTP 500 internal_error"),
    (lambda _r: httpx.Response(502, text="<html>Bad Gateway</html>"), ServerFailure, "HTTP 502"),
    (lambda _r: httpx.Response(200, text="not json"), ResearchApiError, "without data.videos"),
    (lambda _r: httpx.Response(200, json={"data": {"videos": "x"}}), ResearchApiError, "without data.videos"),
    (lambda _r: httpx.Response(401, json={}), CredentialsRefused, "fresh access token was refused"),
])
def test_every_answer_becomes_one_of_our_errors(answer: Callable[[httpx.Request], httpx.Response],
                                                error: type[Exception], says: str) -> None:
    with pytest.raises(error, match=says) as caught:
        _query(answer)
    assert type(caught.value) is error and "s3cret" not in str(caught.value)


def test_quota_exhaustion_says_when_it_resets() -> None:
    with pytest.raises(QuotaExhausted) as caught:
        _query(_error("rate_limit_exceeded", "quota", 429))
    assert caught.value.resets_at == datetime(2026, 3, 11, tzinfo=timezone.utc)


@pytest.mark.parametrize("failure", [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"),
                                     httpx.RemoteProtocolError("closed")])
def test_network_failures_do_not_leak_httpx_exceptions(failure: Exception) -> None:
    def answer(_request: httpx.Request) -> httpx.Response:
        raise failure

    with pytest.raises(ResearchApiError) as caught:
        _query(answer)
    assert caught.value.status is None


def test_refused_credentials_are_named_without_the_secret() -> None:
    transport = httpx.MockTransport(lambda _r: httpx.Response(401, json={"error": "invalid_client"}))
    with (ResearchClient("https://api.example", "key", "s3cret", transport=transport) as client,
          pytest.raises(CredentialsRefused, match="client_key / client_secret \\(invalid_client\\)") as caught):
        client.authenticate()
    assert "s3cret" not in str(caught.value) and "s3cret" not in repr(client)
