"""hashtag keys without underscores: #брат_за_брата and #братзабрата are one key

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

`parsers.keys.hashtag_key` now drops underscores, so the stored keys of briefs' and videos' tags
(`brief_hashtags.key`, `video_hashtags.key`, the keys matching looks tags up by) are rewritten
the same way. A brief or video that carried two spellings of one tag keeps one row for it: the
spelling without underscores if it had one, else the first in key order. A key that was only
underscores names no tag and goes, as the importers never store an empty key. The tags as
written (`tag`) are untouched. The downgrade cannot know where the underscores were; it leaves
the keys folded (the older matcher then simply misses the variants, as it did).
"""

from __future__ import annotations

from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

_HAS_UNDERSCORE = "{t}.key LIKE '%!_%' ESCAPE '!'"
_FOLDED = "replace({t}.key, '_', '')"


def _fold(table: str, owner: str) -> list[str]:
    here, other = _HAS_UNDERSCORE.format(t=table), _HAS_UNDERSCORE.format(t="o")
    return [
        f"DELETE FROM {table} WHERE {_FOLDED.format(t=table)} = ''",
        # another spelling of the same tag on the same owner wins: the plain one, else the lowest key
        (f"DELETE FROM {table} WHERE {here} AND EXISTS (SELECT 1 FROM {table} o WHERE o.{owner} = {table}.{owner} "
         f"AND o.key <> {table}.key AND {_FOLDED.format(t='o')} = {_FOLDED.format(t=table)} "
         f"AND (NOT {other} OR o.key < {table}.key))"),
        f"UPDATE {table} SET key = {_FOLDED.format(t=table)} WHERE {here}",
    ]


def upgrade() -> None:
    for statement in (*_fold("brief_hashtags", "brief_id"), *_fold("video_hashtags", "video_pk")):
        op.execute(statement)


def downgrade() -> None:
    pass
