"""A running `briefwatch serve` for tests: the real command in a child process on a free port,
and a headless Chromium driven by Selenium (Debian's chromium and chromedriver, installed by
scripts/ensure-chromium like PostgreSQL)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import REPO

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1100,760")
# BRIEFWATCH_SCREENSHOTS=docs rewrites the README's screenshots (docs/screenshots/); otherwise the
# test saves them under its temporary directory only, so a test run leaves the work tree alone.
DOCS_SCREENSHOTS = REPO / "docs" / "screenshots"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(db: Path, *, env: dict[str, str] | None = None, host: str = "127.0.0.1") -> Iterator[str]:
    """`briefwatch serve` on `db` until the block ends; yields its base URL once it answers."""
    port = free_port()
    base = f"http://{host}:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "--db", f"sqlite:///{db}", "serve", "--host", host,
                                 "--port", str(port)], cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})})
        try:
            _wait_until_up(proc, log, base)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.seek(0)
            output = log.read().decode(errors="replace")
        assert "database is locked" not in output, output
        assert "Traceback" not in output, output


def _wait_until_up(proc: subprocess.Popen[bytes], log: Any, base: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        if proc.poll() is not None:
            log.seek(0)
            raise AssertionError(f"serve exited {proc.returncode}: {log.read().decode()}")
        try:
            httpx.get(base + "/-/versions.json", timeout=2)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise AssertionError("serve did not answer within 30 s") from None
            time.sleep(0.2)


def chromium_binaries() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@contextmanager
def headless_chromium(profile: Path) -> Iterator[Any]:
    """One Chromium for a test module, with a fresh profile; skipped (failed on CI) without one."""
    found = chromium_binaries()
    if found is None:
        if IN_CI:
            pytest.fail("CI=true but chromium/chromedriver are missing: scripts/ensure-chromium did not run")
        pytest.skip("chromium and chromedriver not installed (scripts/ensure-chromium installs Debian's)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = found
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def screenshot(driver: Any, name: str, folder: Path) -> Path:
    """Save the page as a small PNG (palette, 900 px wide) under `folder`, and in docs/ when asked."""
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(driver.get_screenshot_as_png())).convert("RGB")
    width = 900
    image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    image = image.quantize(colors=64)
    targets = [folder / f"{name}.png"]
    if os.environ.get("BRIEFWATCH_SCREENSHOTS") == "docs":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        targets.append(DOCS_SCREENSHOTS / f"{name}.png")
    for target in targets:
        image.save(target, optimize=True)
    return targets[0]
