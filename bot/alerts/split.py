"""Split Telegram HTML over the 4,096-character message limit without breaking markup.

Why not slice the string: a cut inside `<a href="…">`, inside `&amp;`, or between an opening and a
closing tag makes Telegram refuse the whole message ("can't parse entities"), and the alert is
lost. So the text is read as tokens (a tag, an entity, or one character), parts end preferably
at a line break (else a space, else anywhere between tokens), tags still open at a cut are closed
at the end of the part and reopened at the start of the next.

Telegram counts the limit in UTF-16 code units of the text *after* parsing; we count the markup
itself in UTF-16 units, which is never less, so a part we accept is never too long.
"""

from __future__ import annotations

import html
import re

TELEGRAM_LIMIT = 4096

_TOKEN = re.compile(r"<[^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|.", re.DOTALL)
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)")
_STRIP = re.compile(r"<[^<>]*>")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: characters beyond the BMP (most emoji) count twice."""
    return len(text.encode("utf-16-le")) // 2


def _apply(stack: list[tuple[str, str]], token: str) -> list[tuple[str, str]]:
    """The open-tag stack after `token`: (name, opening tag as written)."""
    if not token.startswith("<"):
        return stack
    m = _TAG.match(token)
    if m is None:
        return stack
    closing, name = m.group(1) == "/", m.group(2).lower()
    if not closing:
        return [*stack, (name, token)]
    for i in range(len(stack) - 1, -1, -1):
        if stack[i][0] == name:
            return stack[:i] + stack[i + 1 :]
    return stack


def _closers(stack: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _openers(stack: list[tuple[str, str]]) -> str:
    return "".join(opening for _, opening in stack)


def _visible(part: str) -> str:
    return html.unescape(_STRIP.sub("", part)).strip()


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Parts of at most `limit` UTF-16 units, each well-formed on its own; one part if it fits."""
    if utf16_len(text) <= limit:
        return [text]
    tokens = _TOKEN.findall(text)
    sizes = [utf16_len(t) for t in tokens]
    parts: list[str] = []
    i, stack = 0, []  # type: tuple[int, list[tuple[str, str]]]
    while i < len(tokens):
        prefix = _openers(stack)
        length, cur = utf16_len(prefix), stack
        j = i
        line_cut: tuple[int, list[tuple[str, str]]] | None = None
        space_cut: tuple[int, list[tuple[str, str]]] | None = None
        while j < len(tokens):
            nxt = _apply(cur, tokens[j])
            if length + sizes[j] + utf16_len(_closers(nxt)) > limit:
                break
            length += sizes[j]
            cur = nxt
            j += 1
            if length * 2 >= limit:  # only cut at a break in the second half of a part
                if tokens[j - 1] == "\n":
                    line_cut = (j, cur)
                elif tokens[j - 1] == " ":
                    space_cut = (j, cur)
        if j == i:
            raise ValueError(f"limit {limit} too small for markup {tokens[i]!r} with open tags {prefix!r}")
        end, end_stack = (j, cur) if j == len(tokens) else (line_cut or space_cut or (j, cur))
        part = prefix + "".join(tokens[i:end]) + _closers(end_stack)
        if _visible(part):
            parts.append(part)
        i, stack = end, end_stack
    return parts


def html_to_plain(text: str) -> str:
    """The text without markup, for resending a part Telegram could not parse as HTML."""
    return html.unescape(_STRIP.sub("", text))
