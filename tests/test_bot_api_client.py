"""The Bot API client maps every failure to a BotApiError delivery can act on; no httpx error escapes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from bot.alerts.botapi import BotApi, BotApiError
from bot.errors import AlertError

TOKEN = "123456:SECRET-token"


def call(handler: Callable[[httpx.Request], httpx.Response]) -> Any:
    async def go() -> Any:
        async with BotApi(TOKEN, "https://api.example", transport=httpx.MockTransport(handler)) as api:
            return await api.send_message(1, "<b>x</b>")
    return asyncio.run(go())


def error(handler: Callable[[httpx.Request], httpx.Response]) -> BotApiError:
    with pytest.raises(BotApiError) as info:
        call(handler)
    assert isinstance(info.value, AlertError)
    assert TOKEN not in str(info.value)  # the token is in the URL; never in messages
    return info.value


def answer(status: int, body: dict[str, Any]) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(status, json=body)


def test_ok_returns_the_message_id_and_sends_html_without_preview() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True, "result": {"message_id": 77}})

    assert call(handler) == 77
    body = json.loads(seen[0].content)
    assert seen[0].url.path == f"/bot{TOKEN}/sendMessage"
    assert body["parse_mode"] == "HTML" and body["link_preview_options"] == {"is_disabled": True}


def test_429_carries_retry_after() -> None:
    exc = error(answer(429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 12",
                             "parameters": {"retry_after": 12}}))
    assert exc.retry_after == 12.0 and not exc.permanent


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_5xx_is_retryable(code: int) -> None:
    exc = error(answer(code, {"ok": False, "error_code": code, "description": "oops"}))
    assert not exc.permanent and exc.retry_after is None and not exc.bot_level


def test_non_json_5xx_is_retryable() -> None:
    exc = error(lambda r: httpx.Response(502, text="<html>Bad Gateway</html>"))
    assert not exc.permanent and exc.error_code == 502


@pytest.mark.parametrize("code", [400, 403])
def test_400_and_403_are_permanent(code: int) -> None:
    exc = error(answer(code, {"ok": False, "error_code": code, "description": "Bad Request: chat not found"}))
    assert exc.permanent and exc.description == "Bad Request: chat not found"


@pytest.mark.parametrize("code", [401, 404])
def test_bad_token_is_bot_level_not_permanent(code: int) -> None:
    exc = error(answer(code, {"ok": False, "error_code": code, "description": "Unauthorized"}))
    assert exc.bot_level and not exc.permanent


@pytest.mark.parametrize("raised", [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"),
                                    httpx.RemoteProtocolError("Server disconnected without sending a response."),
                                    httpx.ReadError("reset"), httpx.PoolTimeout("pool")])
def test_network_failures_become_retryable_alert_errors(raised: Exception) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise raised

    exc = error(handler)
    assert not exc.permanent and exc.retry_after is None and exc.__cause__ is raised


def test_get_updates_long_poll_outlasts_the_client_timeout() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True, "result": [{"update_id": 5}, "junk"]})

    async def go() -> list[dict[str, Any]]:
        async with BotApi(TOKEN, "https://api.example", timeout=3, transport=httpx.MockTransport(handler)) as api:
            return await api.get_updates(4, timeout=25)

    assert asyncio.run(go()) == [{"update_id": 5}]
    assert json.loads(seen[0].content) == {"timeout": 25, "limit": 100, "allowed_updates": ["message"], "offset": 4}
    assert seen[0].extensions["timeout"]["read"] == 28
