#!/usr/bin/env python3
"""build_export.py POSTS_JSONL OUT_DIR --channel-id N --channel-name NAME

Turns a writer's posts file into a labelled corpus batch as ../shared/tools/README.md describes:
OUT_DIR/result.json (a Telegram Desktop "Export chat history" of one public channel) and
OUT_DIR/gold_briefs.json ({"<message id>": gold}).

POSTS_JSONL has one JSON object per line:

  {"id": 12,                                  # message id, increasing
   "date": "2026-03-09T14:05:00",             # Moscow local time, as the export writes it
   "text": "...",                             # the post, with two bits of markup (below)
   "gold": {"is_brief": false} | {...brief...},
   # optional:
   "edited": "2026-03-09T14:20:00",           # Moscow local
   "forwarded_from": "Other channel name",
   "media": {"media_type": "audio_file", "performer": "SHAMAN", "title": "Я русский",
             "duration_seconds": 95, "mime_type": "audio/mpeg"}
          | {"photo": true} | {"media_type": "video_file"} | {"media_type": "voice_message"},
   "note": "why the gold says what it says (kept out of the export)"}

Markup inside "text" (everything else is literal text, emoji included):
  [visible words](https://url)   a link hidden behind words (Telegram's text_link entity)
  **bold words**                 bold (Telegram admins bold their field names: **Звук:**)
  __italic words__               italic
Hashtags (#tag), mentions (@name) and bare links (https://..., t.me/..., vm.tiktok.com/...)
become entities by themselves, placed as the Telegram client places them: a '#' glued to a
letter before it ("день#кэшфлоу") is NOT a hashtag entity, and a zero-width character
(U+200B etc.) ends one. Write such things literally in the text; the gold still lists the tag
as SPEC.md's "Field semantics" says.

The script validates every gold object (field names, types, ISO times with offsets, currency
codes, platform names) and exits non-zero with the line number on the first problem.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

MSK = ZoneInfo("Europe/Moscow")
PLATFORMS = {"tiktok", "instagram", "youtube", "vk", "telegram", "likee"}
BRIEF_KEYS = {"is_brief", "platforms", "audio", "hashtags", "emojis", "post_window", "pay",
              "min_followers", "min_views", "delete_after", "caption", "script", "effects"}
OPTIONAL_KEYS = {"delete_after_days", "mentions"}
NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"

_MARKUP = re.compile(r"\[(?P<ltext>[^\]\n]+)\]\((?P<href>[^)\s]+)\)|\*\*(?P<bold>.+?)\*\*|__(?P<ital>.+?)__", re.DOTALL)
_ZW = "\u200b\u200c\u200d\u2060\ufeff"
_AUTO = re.compile(
    r"(?P<hashtag>(?<![\w#＃])[#＃][^\W][\w]{0,255})"      # '#' not glued to a word char; ends at ZW/punct
    r"|(?P<mention>(?<![\w@.])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w]))"
    r"|(?P<link>(?:https?://|www\.)[^\s" + _ZW + r"]+|(?<![\w@/.])(?:t\.me|vm\.tiktok\.com|vt\.tiktok\.com|tiktok\.com|"
    r"instagram\.com|youtube\.com|youtu\.be|vk\.com|music\.yandex\.ru|open\.spotify\.com)/[^\s" + _ZW + r"]+)"
    r"|(?P<email>(?<![\w.])[\w.+-]+@[\w-]+\.[\w.]+)"
)
_TRAILING = ".,;:!?)»”\"'…"


def _auto_entities(text: str) -> list[dict]:
    parts: list[dict] = []
    pos = 0
    for m in _AUTO.finditer(text):
        kind = m.lastgroup
        value = m.group(0)
        if kind == "link":
            stripped = value.rstrip(_TRAILING)
            if value.endswith(")") and value.count("(") > value.count(")") - 1 and "(" in value:
                stripped = value  # a balanced bracket inside a URL stays
            value = stripped
        end = m.start() + len(value)
        if m.start() > pos:
            parts.append({"type": "plain", "text": text[pos:m.start()]})
        parts.append({"type": kind, "text": value})
        pos = end
    if pos < len(text):
        parts.append({"type": "plain", "text": text[pos:]})
    return parts


def render(marked: str) -> tuple[str, list[dict]]:
    """(plain text, text_entities) of a marked-up text."""
    entities: list[dict] = []
    pos = 0
    for m in _MARKUP.finditer(marked):
        if m.start() > pos:
            entities += _auto_entities(marked[pos:m.start()])
        if m.group("ltext") is not None:
            entities.append({"type": "text_link", "text": m.group("ltext"), "href": m.group("href")})
        elif m.group("bold") is not None:
            entities.append({"type": "bold", "text": m.group("bold")})
        else:
            entities.append({"type": "italic", "text": m.group("ital")})
        pos = m.end()
    if pos < len(marked):
        entities += _auto_entities(marked[pos:])
    merged: list[dict] = []
    for e in entities:
        if e["type"] == "plain" and merged and merged[-1]["type"] == "plain":
            merged[-1] = {"type": "plain", "text": merged[-1]["text"] + e["text"]}
        elif e["text"]:
            merged.append(e)
    text = "".join(e["text"] for e in merged)
    return text, merged


def _text_field(entities: list[dict]):
    if all(e["type"] == "plain" for e in entities):
        return "".join(e["text"] for e in entities)
    return [e["text"] if e["type"] == "plain" else e for e in entities]


class GoldError(ValueError):
    pass


def _check_time(value, where):
    if value is None:
        return
    if not isinstance(value, str):
        raise GoldError(f"{where}: expected an ISO time string or null")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise GoldError(f"{where}: not ISO 8601: {value!r}") from exc
    if parsed.tzinfo is None:
        raise GoldError(f"{where}: needs a UTC offset: {value!r}")


def _check_number(value, where):
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise GoldError(f"{where}: expected a number or null, got {value!r}")


def check_gold(gold) -> None:
    if not isinstance(gold, dict) or not isinstance(gold.get("is_brief"), bool):
        raise GoldError("gold needs is_brief true/false")
    if not gold["is_brief"]:
        extra = set(gold) - {"is_brief"}
        if extra:
            raise GoldError(f"a non-brief gold is just {{\"is_brief\": false}}; remove {sorted(extra)}")
        return
    missing = BRIEF_KEYS - set(gold)
    if missing:
        raise GoldError(f"brief gold lacks {sorted(missing)}")
    unknown = set(gold) - BRIEF_KEYS - OPTIONAL_KEYS
    if unknown:
        raise GoldError(f"unknown gold keys {sorted(unknown)}")
    for key in ("platforms", "hashtags", "emojis", "effects"):
        if not isinstance(gold[key], list) or not all(isinstance(x, str) for x in gold[key]):
            raise GoldError(f"{key}: expected a list of strings")
    bad = set(gold["platforms"]) - PLATFORMS
    if bad:
        raise GoldError(f"platforms: unknown {sorted(bad)} (use {sorted(PLATFORMS)})")
    if any(t.startswith("#") for t in gold["hashtags"]):
        raise GoldError("hashtags: write them without '#'")
    audio = gold["audio"]
    if audio is not None and (not isinstance(audio, dict) or not {"title", "artist"} <= set(audio)):
        raise GoldError("audio: expected null or {\"title\": ..., \"artist\": ...}")
    window = gold["post_window"]
    if window is not None:
        if not isinstance(window, dict) or set(window) != {"start", "end"}:
            raise GoldError("post_window: expected null or {\"start\": ..., \"end\": ...}")
        _check_time(window["start"], "post_window.start")
        _check_time(window["end"], "post_window.end")
        if window["start"] and window["end"] and \
                dt.datetime.fromisoformat(window["end"]) < dt.datetime.fromisoformat(window["start"]):
            raise GoldError("post_window: end before start")
    pay = gold["pay"]
    if pay is not None:
        if not isinstance(pay, dict) or set(pay) != {"min", "max", "currency", "negotiable"}:
            raise GoldError("pay: expected null or {min, max, currency, negotiable}")
        _check_number(pay["min"], "pay.min")
        _check_number(pay["max"], "pay.max")
        if pay["currency"] is not None and not re.fullmatch(r"[A-Z]{3}", str(pay["currency"])):
            raise GoldError("pay.currency: ISO 4217 code like RUB, USD, UAH")
        if not isinstance(pay["negotiable"], bool):
            raise GoldError("pay.negotiable: true/false")
        if pay["min"] is not None and pay["max"] is not None and pay["max"] < pay["min"]:
            raise GoldError("pay: max below min")
    _check_number(gold["min_followers"], "min_followers")
    _check_number(gold["min_views"], "min_views")
    if not isinstance(gold["delete_after"], bool):
        raise GoldError("delete_after: true/false")
    if "delete_after_days" in gold:
        _check_number(gold["delete_after_days"], "delete_after_days")
    for key in ("caption", "script"):
        if gold[key] is not None and not isinstance(gold[key], str):
            raise GoldError(f"{key}: string or null")


def _local(value: str, where: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise GoldError(f"{where}: expected a Moscow local ISO time like 2026-03-09T14:05:00") from exc
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(MSK).replace(tzinfo=None)
    return parsed


def build(posts_path: Path, out_dir: Path, channel_id: int, channel_name: str) -> tuple[int, int]:
    messages, gold = [], {}
    last_id = 0
    for number, line in enumerate(posts_path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            post = json.loads(line)
            if not isinstance(post.get("id"), int) or post["id"] <= last_id:
                raise GoldError("ids must be integers, increasing")
            last_id = post["id"]
            check_gold(post.get("gold"))
            local = _local(post["date"], "date")
            _text, entities = render(post.get("text", ""))
            msg = {"id": post["id"], "type": "message", "date": local.isoformat(timespec="seconds"),
                   "date_unixtime": str(int(local.replace(tzinfo=MSK).timestamp())),
                   "from": channel_name, "from_id": f"channel{channel_id}"}
            if post.get("edited"):
                edited = _local(post["edited"], "edited")
                msg["edited"] = edited.isoformat(timespec="seconds")
                msg["edited_unixtime"] = str(int(edited.replace(tzinfo=MSK).timestamp()))
            if post.get("forwarded_from"):
                msg["forwarded_from"] = post["forwarded_from"]
            media = post.get("media")
            if media:
                if media.get("photo"):
                    msg.update({"photo": NOT_INCLUDED, "width": 1080, "height": 1350})
                else:
                    msg.update({"file": NOT_INCLUDED, **{k: v for k, v in media.items() if k != "file"}})
            msg["text"] = _text_field(entities)
            msg["text_entities"] = entities
            messages.append(msg)
            gold[str(post["id"])] = post["gold"]
        except (GoldError, json.JSONDecodeError, KeyError) as exc:
            sys.exit(f"{posts_path}:{number}: {exc}")
    out_dir.mkdir(parents=True, exist_ok=True)
    export = {"name": channel_name, "type": "public_channel", "id": channel_id, "messages": messages}
    (out_dir / "result.json").write_text(json.dumps(export, ensure_ascii=False, indent=1), encoding="utf-8")
    (out_dir / "gold_briefs.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
    briefs = sum(1 for g in gold.values() if g["is_brief"])
    return len(gold), briefs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("posts")
    ap.add_argument("out_dir")
    ap.add_argument("--channel-id", type=int, required=True)
    ap.add_argument("--channel-name", required=True)
    args = ap.parse_args()
    total, briefs = build(Path(args.posts), Path(args.out_dir), args.channel_id, args.channel_name)
    print(f"{total} posts, {briefs} briefs ({100 * briefs / max(total, 1):.0f}%) -> {args.out_dir}")


if __name__ == "__main__":
    main()
