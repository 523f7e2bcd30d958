"""The web UI in a real headless Chromium: `briefwatch serve` on the demo archive, driven with
Selenium. One server and one browser for the module. Each test also saves a screenshot
(BRIEFWATCH_SCREENSHOTS=docs rewrites the README's, docs/screenshots/)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.helpers import REPO
from tests.serve_harness import headless_chromium, running_server, screenshot


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("serve") / "archive.db"
    done = subprocess.run([sys.executable, "-m", "bot.cli", "demo", "--db", f"sqlite:///{db}"], check=False, cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture(scope="module")
def site(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, Path]]:
    shots = tmp_path_factory.mktemp("screenshots")
    with running_server(archive) as base, headless_chromium(tmp_path_factory.mktemp("profile")) as driver:
        yield base, driver, shots


def _rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _wait(driver: Any, condition: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(condition)


def _cells(driver: Any, column: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [td.text for td in driver.find_elements(By.CSS_SELECTOR, f"table.rows-and-columns td.col-{column}")]


def test_the_home_page_lists_the_archive_and_its_tables(site: tuple[str, Any, Path]) -> None:
    from selenium.webdriver.common.by import By

    base, driver, shots = site
    driver.get(base + "/")
    assert "briefwatch archive" in driver.find_element(By.TAG_NAME, "h1").text
    driver.get(base + "/archive")
    tables = {a.text for a in driver.find_elements(By.CSS_SELECTOR, "div.db-table h3 a")}
    assert {"messages", "briefs", "videos", "matches", "channels", "brief_versions"} <= tables
    assert not tables & {"sync_state", "alembic_version", "messages_fts"}  # internal tables hidden
    links = {a.text for a in driver.find_elements(By.TAG_NAME, "a")}
    assert {"brief_posts", "Briefs by sound", "Posts that ever said…"} <= links  # the view, canned queries
    screenshot(driver, "serve-archive", shots)


def test_a_cyrillic_search_finds_the_post_in_any_case_and_with_yo(site: tuple[str, Any, Path], archive: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, driver, shots = site
    expected = sorted(str(mid) for mid, body in _rows(archive, "SELECT message_id, text FROM messages")
                      if "брат за брата" in body.lower().replace("ё", "е"))
    assert expected
    driver.get(base + "/archive/messages")
    box = driver.find_element(By.ID, "_search")
    box.send_keys("БРАТ ЗА БРАТА", Keys.ENTER)
    _wait(driver, lambda d: "_search=" in d.current_url)
    assert sorted(_cells(driver, "message_id")) == expected
    screenshot(driver, "serve-search", shots)
    # ё typed where the post has е (and the other way round) finds the same posts
    with_yo = sorted(str(mid) for mid, body in _rows(archive, "SELECT message_id, text FROM messages")
                     if "все" in body.lower().replace("ё", "е").split() or "всё" in body.lower().split())
    driver.get(base + "/archive/messages?_search=" + quote("ВСЁ"))
    found = sorted(_cells(driver, "message_id"))
    assert found and set(with_yo) <= set(found)


def test_the_hashtag_facet_counts_the_briefs_that_ask_for_each_tag(site: tuple[str, Any, Path],
                                                                  archive: Path) -> None:
    from selenium.webdriver.common.by import By

    base, driver, shots = site
    expected = Counter(tag for (tags,) in _rows(archive, "SELECT hashtags FROM brief_posts") for tag in json.loads(tags))
    driver.get(base + "/archive/brief_posts")
    facet = driver.find_element(By.ID, "facet-hashtags")
    shown = {}
    for item in facet.find_elements(By.CSS_SELECTOR, "li"):
        link = item.find_elements(By.TAG_NAME, "a")
        if link and "_facet_array" not in link[0].get_attribute("href") and item.text.rsplit(" ", 1)[-1].isdigit():
            label, count = item.text.rsplit(" ", 1)
            shown[label] = int(count)
    top = expected.most_common(1)[0]
    assert shown[top[0]] == top[1] >= 2
    assert all(expected[label] == count for label, count in shown.items())
    screenshot(driver, "serve-facets", shots)


def test_a_canned_query_with_a_parameter_runs(site: tuple[str, Any, Path], archive: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, driver, shots = site
    driver.get(base + "/archive/briefs_by_sound")
    field = driver.find_element(By.CSS_SELECTOR, "input[name=sound]")
    field.send_keys("брат за брата", Keys.ENTER)
    _wait(driver, lambda d: "sound=" in d.current_url)
    titles = _cells(driver, "audio_title")
    expected = _rows(archive, "SELECT COUNT(*) FROM briefs WHERE audio_title = 'Брат за брата'")[0][0]
    assert titles and titles.count("Брат за брата") == expected
    screenshot(driver, "serve-canned-query", shots)


def test_the_campaign_chart_draws_a_point_per_matched_video(site: tuple[str, Any, Path], archive: Path) -> None:
    from selenium.webdriver.common.by import By

    base, driver, shots = site
    brief_id, videos = _rows(archive, "SELECT m.brief_id, COUNT(*) FROM matches m JOIN videos v ON v.id = m.video_pk "
                                      "WHERE v.posted_at IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1")[0]
    driver.get(f"{base}/-/briefwatch/campaign/{brief_id}")
    svg = driver.find_element(By.CSS_SELECTOR, "svg.briefwatch-chart")
    points = svg.find_elements(By.CSS_SELECTOR, "circle.point")
    assert len(points) == 2 * videos  # the videos line and the accounts line
    assert svg.size["width"] > 300 and svg.size["height"] > 150
    screenshot(driver, "serve-campaign", shots)
    driver.get(f"{base}/-/briefwatch/briefs-per-week")
    weeks = driver.find_elements(By.CSS_SELECTOR, "svg.briefwatch-chart circle.point")
    assert len(weeks) == len(_rows(archive, "SELECT DISTINCT date(m.posted_at, 'weekday 0', '-6 days'), m.channel_id "
                                            "FROM briefs b JOIN messages m ON m.id = b.message_pk"))


def test_a_write_through_the_sql_box_is_refused(site: tuple[str, Any, Path], archive: Path) -> None:
    from selenium.webdriver.common.by import By

    base, driver, shots = site
    before = _rows(archive, "SELECT COUNT(*) FROM messages")[0][0]
    for sql, refusal in (("DELETE FROM messages", "Statement must be a SELECT"),
                         ("WITH x AS (SELECT 1) DELETE FROM messages", "readonly database")):
        driver.get(base + "/archive")
        driver.execute_script("document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])", sql)
        driver.find_element(By.CSS_SELECTOR, "form.sql input[type=submit]").click()
        _wait(driver, lambda d: "sql=" in d.current_url)
        _wait(driver, lambda d, text=refusal: text in d.page_source)
    screenshot(driver, "serve-write-refused", shots)
    assert _rows(archive, "SELECT COUNT(*) FROM messages")[0][0] == before


def test_a_briefs_report_png_and_post_links(site: tuple[str, Any, Path], archive: Path) -> None:
    import httpx
    from selenium.webdriver.common.by import By

    base, driver, _ = site
    png = httpx.get(f"{base}/-/briefwatch/campaign/1.png", timeout=30)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG") and len(png.content) > 10_000
    assert httpx.get(f"{base}/-/briefwatch/campaign/999999.png", timeout=30).status_code == 404
    username, message_id = _rows(archive, "SELECT c.username, m.message_id FROM messages m JOIN channels c "
                                          "ON c.id = m.channel_id ORDER BY m.posted_at DESC LIMIT 1")[0]
    driver.get(base + "/archive/messages")
    hrefs = {a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "td.col-message_id a")}
    assert f"https://t.me/{username}/{message_id}" in hrefs
