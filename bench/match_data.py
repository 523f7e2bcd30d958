"""Seeded synthetic briefs and videos for the matching benchmark and the labelled evaluation.

The skew imitates what researchers collect: a few huge generic hashtags (#fyp on about half of
all videos, #россия on a few percent), a long Zipf tail of rare tags, a few hundred popular
songs used everywhere, many "original sound" uploads, and campaigns: a brief with a sound and one
or two campaign tags, answered by a few dozen creators inside its post window. Decoys are built
in: the campaign's song before the brief, its tag weeks later, generic-only videos inside the
window, "original sound" re-uploads, parodies of the sound days later, and another song by the
campaign sound's artist inside the window. Some answers use a variant of the sound ("(sped up)",
"slowed + reverb", a remix) uploaded under its own music id, as TikTok does.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from matching.video import Video
from parsers.brief import Audio, Brief, PostWindow

T0 = datetime(2022, 2, 1, tzinfo=timezone.utc)
HOUR = 3600.0
DAY = 86400.0

# (tag, share of videos carrying it)
GENERIC_TAGS: tuple[tuple[str, float], ...] = (
    ("fyp", 0.45), ("foryou", 0.30), ("рекомендации", 0.25), ("врек", 0.10), ("тренды", 0.08),
    ("россия", 0.06), ("viral", 0.05), ("юмор", 0.04),
)
SLOGANS = ("Своих не бросаем", "Мы вместе", "Za мир без нацизма", "Россия — страна героев",
           "Поддержим наших", "Вместе мы сила", "Брат за брата")
REAL_SONGS = (("Брат за брата", "SHAMAN"), ("Встанем", "SHAMAN"), ("Я русский", "SHAMAN"),
              ("Кукушка", "Полина Гагарина"), ("Катюша", "Хор"), ("Моя Россия", "Дети"))
# How TikTok titles an edit of a sound; the edit gets its own music id.
# Music ids of sound edits and of other songs by a campaign sound's artist start with these.
EDIT_MUSIC_IDS, OTHER_SONG_MUSIC_IDS = "75", "76"
VARIANT_SUFFIXES = (" (sped up)", " - Slowed + Reverb", " (Remix)", " (ускоренная версия)", " [slowed]")
FILLER = ("утро", "кофе", "танец", "котик", "работа", "смешно", "погода", "дорога", "спорт", "еда",
          "учёба", "друзья", "семья", "весна", "музыка", "вечер", "новости", "город", "рецепт", "тренировка")


@dataclass(frozen=True)
class Campaign:
    """A synthetic brief and what answering it looks like."""

    brief_id: int
    brief: Brief
    published: datetime
    tags: tuple[str, ...]
    music_id: str
    title: str
    artist: str
    lo: float  # epoch seconds in which answers are posted
    hi: float


class World:
    """Songs, tags and campaigns; `videos()` streams background and campaign videos in time order."""

    def __init__(self, seed: int, n_briefs: int, days: float = 365.0, n_songs: int = 3000,
                 n_rare_tags: int = 200_000, answers: tuple[int, int] = (0, 40)) -> None:
        self.rng = random.Random(seed)
        # Draws for sound variants and same-artist decoys come from their own stream, so adding
        # them left every other video of a seed as it was.
        self.variant_rng = random.Random(seed * 7919 + 1)
        self.days = days
        self.answers = answers
        self.songs = [(str(7000000000000000000 + i), *REAL_SONGS[i]) if i < len(REAL_SONGS)
                      else (str(7000000000000000000 + i), f"Song {i}", f"Artist {i % 700}") for i in range(n_songs)]
        self.song_weights = _zipf_cum(n_songs, 1.1)
        self.rare_tags = [f"тег{i}" for i in range(n_rare_tags)]
        self.rare_weights = _zipf_cum(n_rare_tags, 1.05)
        self.campaigns = [self._campaign(i + 1) for i in range(n_briefs)]

    def _campaign(self, brief_id: int) -> Campaign:
        rng = self.rng
        published = T0 + timedelta(seconds=rng.uniform(0, self.days * DAY))
        tags = (f"кампания{brief_id}",) + ((f"акция{brief_id}",) if rng.random() < 0.5 else ())
        if rng.random() < 0.7:  # a popular song
            music_id, title, artist = self.songs[_pick(rng, self.song_weights, 300)]
        else:  # the organiser's own upload
            music_id, title, artist = str(7100000000000000000 + brief_id), f"Гимн акции {brief_id}", "org"
        window = None
        if rng.random() < 0.65:
            start = published + timedelta(hours=rng.uniform(1, 24))
            window = PostWindow(start, start + timedelta(hours=rng.uniform(2, 48)))
            lo, hi = window.start.timestamp(), window.end.timestamp()  # type: ignore[union-attr]
        else:
            lo, hi = published.timestamp(), published.timestamp() + 2 * DAY
        generic = tuple(t for t, _ in rng.sample(GENERIC_TAGS, rng.randint(0, 2)))
        caption = f"{rng.choice(SLOGANS)}! {rng.choice(FILLER)} {rng.choice(FILLER)}" if rng.random() < 0.5 else None
        brief = Brief(
            is_brief=True, confidence=0.9, language="ru", platforms=("tiktok",),
            audio=Audio(title=title, artist=artist, music_id=music_id if rng.random() < 0.6 else None),
            hashtags=tags + generic, caption=caption, post_window=window,
            effects=("зеркало",) if rng.random() < 0.1 else (),
        )
        return Campaign(brief_id, brief, published, tags, music_id, title, artist, lo, hi)

    # --- videos -------------------------------------------------------------------------------

    def background(self, n: int, start_ref: int = 0) -> Iterator[tuple[int, Video, int | None]]:
        """Ordinary videos over the whole period (label None)."""
        rng = self.rng
        span = self.days * DAY + 3 * DAY
        t0 = T0.timestamp()
        songs = rng.choices(range(len(self.songs)), cum_weights=self.song_weights, k=n)
        for i in range(n):
            ref = start_ref + i
            ts = t0 + rng.random() * span
            if rng.random() < 0.6:
                music_id, title, artist = self.songs[songs[i]]
                original = False
            else:
                music_id, title, artist, original = str(7200000000000000000 + ref), f"original sound - user{ref % 50000}", f"user{ref}", True
            tags = [t for t, share in GENERIC_TAGS if rng.random() < share]
            for _ in range(rng.randint(0, 3)):
                tags.append(self.rare_tags[_pick(rng, self.rare_weights, len(self.rare_tags))])
            desc = f"{rng.choice(FILLER)} {rng.choice(FILLER)} " + " ".join("#" + t for t in tags)
            yield ref, _video(ref, ts, desc, tuple(tags), music_id, title, artist, original), None

    def answers_for(self, c: Campaign, start_ref: int) -> Iterator[tuple[int, Video, int | None]]:
        """The campaign's own videos (label = brief id), with realistic omissions."""
        rng = self.rng
        for j in range(rng.randint(*self.answers)):
            ref = start_ref + j
            # most post inside the window, some late (a few beyond any tolerance)
            ts = rng.uniform(c.lo, c.hi) if rng.random() < 0.85 else c.hi + rng.uniform(0, 8 * HOUR)
            uses_sound = rng.random() < 0.85
            tags = [t if rng.random() < 0.9 else t[:4] + "_" + t[4:] for t in c.tags if rng.random() < 0.8]
            if not uses_sound and not tags:
                tags = [c.tags[0]]
            tags += [t for t, share in GENERIC_TAGS[:3] if rng.random() < share * 1.5]
            caption = c.brief.caption if c.brief.caption and rng.random() < 0.4 else rng.choice(SLOGANS)
            desc = f"{caption} " + " ".join("#" + t for t in tags)
            if uses_sound:
                title = c.title if rng.random() < 0.9 else _latin(c.title)
                if self.variant_rng.random() < 0.15:  # an edit of the sound, under its own music id
                    video = _video(ref, ts, desc, tuple(tags), EDIT_MUSIC_IDS + f"{ref:017d}",
                                   c.title + self.variant_rng.choice(VARIANT_SUFFIXES), c.artist, False)
                else:
                    video = _video(ref, ts, desc, tuple(tags), c.music_id, title, c.artist, False)
            else:  # re-uploaded as "original sound": no audio evidence, the tags carry it
                video = _video(ref, ts, desc, tuple(tags), str(7300000000000000000 + ref),
                               f"original sound - creator{ref}", f"creator{ref}", True)
            yield ref, video, c.brief_id

    def decoys_for(self, c: Campaign, start_ref: int) -> Iterator[tuple[int, Video, int | None]]:
        """Look-alikes that must not match (label None)."""
        rng = self.rng
        pub = c.published.timestamp()
        generic = ("fyp", "россия", "рекомендации")
        yield start_ref, _video(start_ref, pub - rng.uniform(2, 20) * DAY, "люблю эту песню #fyp", ("fyp",),
                                c.music_id, c.title, c.artist, False), None            # song before the brief
        yield start_ref + 1, _video(start_ref + 1, c.hi + rng.uniform(14, 30) * DAY, f"вспоминаем #{c.tags[0]}",
                                    (c.tags[0],), "6999", "Other song", "x", False), None  # tag weeks later
        yield start_ref + 2, _video(start_ref + 2, rng.uniform(c.lo, c.hi), "просто день " + " ".join("#" + t for t in generic),
                                    generic, "6998", "Other song 2", "y", False), None     # generic tags only
        yield start_ref + 3, _video(start_ref + 3, rng.uniform(c.lo, c.hi), "повтор #fyp", ("fyp",),
                                    str(7400000000000000000 + start_ref), f"original sound - reup{start_ref}",
                                    "reup", True), None                                     # re-upload, no tags
        yield start_ref + 4, _video(start_ref + 4, c.hi + rng.uniform(3, 6) * DAY, "пародия 😂 #юмор #fyp",
                                    ("юмор", "fyp"), c.music_id, c.title, c.artist, False), None  # parody later
        other = self._other_song(c)
        yield start_ref + 5, _video(start_ref + 5, self.variant_rng.uniform(c.lo, c.hi), "новый трек 🔥 #fyp",
                                    ("fyp",), OTHER_SONG_MUSIC_IDS + f"{start_ref:017d}", other, c.artist,
                                    False), None                                   # same artist, another song

    def _other_song(self, c: Campaign) -> str:
        """Another song by the campaign sound's artist, sometimes sharing a word of its title."""
        rng = self.variant_rng
        known = [title for title, artist in REAL_SONGS if artist == c.artist and title != c.title]
        if known and rng.random() < 0.7:
            title = rng.choice(known)
        else:
            title = f"{c.title.split()[0]} {rng.choice(FILLER)}" if rng.random() < 0.5 else f"{rng.choice(FILLER).title()} {rng.choice(FILLER)}"
        return title + (rng.choice(VARIANT_SUFFIXES) if rng.random() < 0.3 else "")


def _latin(title: str) -> str:
    table = str.maketrans({"Б": "B", "р": "r", "а": "a", "т": "t", "з": "z", "б": "b", "В": "V",
                           "н": "n", "е": "e", "м": "m", "Я": "Ya", "у": "u", "к": "k", "и": "i", "й": "i",
                           "Г": "G", "ц": "c", "я": "ya", "К": "K", "ш": "sh", "Х": "H", "о": "o", "М": "M",
                           "Р": "R", "с": "s", "л": "l"})
    return title.translate(table)


def _zipf_cum(n: int, s: float) -> list[float]:
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank ** s
        out.append(total)
    return out


def _pick(rng: random.Random, cum: list[float], limit: int) -> int:
    from bisect import bisect_left

    top = cum[min(limit, len(cum)) - 1]
    return min(bisect_left(cum, rng.random() * top), limit - 1)


def _video(ref: int, ts: float, desc: str, tags: tuple[str, ...], music_id: str, title: str, artist: str,
           original: bool) -> Video:
    return Video(platform="tiktok", video_id=str(ref), posted_at=datetime.fromtimestamp(ts, timezone.utc),
                 description=desc, author=f"user{ref % 90000}", hashtags=tags, music_id=music_id,
                 music_title=title, music_artist=artist, music_original=original, source="synthetic")


@dataclass
class LabelledSet:
    campaigns: list[Campaign]
    videos: list[tuple[int, Video]]
    truth: set[tuple[int, int]]  # (brief_id, video ref)


def labelled_set(seed: int = 20220228, n_briefs: int = 20, background: int = 300) -> LabelledSet:
    """The evaluation set: campaigns with 3-12 answers each, six decoys each, and background."""
    world = World(seed, n_briefs, days=60.0, n_songs=60, n_rare_tags=2000, answers=(3, 12))
    items: list[tuple[int, Video, int | None]] = list(world.background(background))
    ref = background
    for c in world.campaigns:
        batch = list(world.answers_for(c, ref)) + list(world.decoys_for(c, ref + 100))
        items += batch
        ref += 200
    truth = {(label, r) for r, _v, label in items if label is not None}
    return LabelledSet(world.campaigns, [(r, v) for r, v, _ in items], truth)
