"""The shipped background prior of generic hashtags: current, cited, and covering the old list."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from matching.hashtags import TAG_PRIOR, TagStats
from parsers.keys import hashtag_key
from tests.helpers import REAL_FIXTURES, REPO

sys.path.insert(0, str(REPO / "bench"))
import build_tag_prior

# The hand list the prior replaced (matching/hashtags.py before issue 12): all still generic.
OLD_GENERIC = ("fyp", "foryou", "foryoupage", "fy", "fypシ", "viral", "trending", "tiktok", "xyzbca",
               "duet", "capcut", "рек", "реки", "рекомендации", "врек", "вреки", "хочуврек", "хочувтоп",
               "втоп", "тренд", "тренды", "тикток", "россия", "russia", "москва", "рофл", "юмор",
               "прикол", "приколы", "жиза", "любовь", "музыка", "глобальныерекомендации")


def test_the_shipped_prior_is_what_the_generator_builds_from_the_committed_inputs() -> None:
    built = build_tag_prior.render(build_tag_prior.build(build_tag_prior.load(build_tag_prior.SOURCES),
                                                         build_tag_prior.load(build_tag_prior.FIXTURE)))
    assert build_tag_prior.OUTPUT.read_text(encoding="utf-8") == built
    check = subprocess.run([sys.executable, str(REPO / "bench/build_tag_prior.py"), "--check"],
                           check=False, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_the_committed_fixture_extract_is_the_real_scraper_files_hashtags() -> None:
    real = REAL_FIXTURES / "tiktok-scraper__thebigbradwolf.json"
    if not real.exists():
        pytest.skip("the real fixtures are not beside the repository")
    assert build_tag_prior.extract_fixture(real) == build_tag_prior.FIXTURE.read_text(encoding="utf-8")


def test_every_tag_cites_known_sources_and_measured_shares_come_from_the_fixture() -> None:
    prior = json.loads(build_tag_prior.OUTPUT.read_text(encoding="utf-8"))
    for key, entry in prior["tags"].items():
        assert key == hashtag_key(key)
        assert entry["sources"] and set(entry["sources"]) <= set(prior["sources"]), key
        assert entry["class"] in prior["classes"]
        assert ("share" in entry) == ("fixture" in entry["sources"])
    # 38 of the fixture's 65 videos carry #fyp
    assert prior["tags"]["fyp"]["share"] == round(38 / 65, 4)


def test_the_generator_refuses_a_tag_without_a_known_source() -> None:
    sources = build_tag_prior.load(build_tag_prior.SOURCES)
    sources["classes"]["city"]["tags"]["тверь"] = ["nowhere"]
    with pytest.raises(ValueError, match="тверь"):
        build_tag_prior.build(sources, build_tag_prior.load(build_tag_prior.FIXTURE))


@pytest.mark.parametrize("tag", OLD_GENERIC + ("екб", "вкусно", "чернаяпятница", "23февраля", "мобильныеигры",
                                               "8марта", "9мая", "новыйгод", "алматы", "київ"))
def test_generic_tags_stay_weak_even_in_a_tiny_archive_where_they_look_rare(tag: str) -> None:
    key = hashtag_key(tag)
    assert key in TAG_PRIOR
    tiny = TagStats(50, {key: 1})
    assert tiny.weight(key) <= 0.1
    assert TagStats(50, {key: 1}, prior={}).weight(key) > 0.9  # without the prior it would look rare
