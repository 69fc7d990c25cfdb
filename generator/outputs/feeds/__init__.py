"""The feeds aggregators poll (SPEC §5): RSS 2.0 and Atom for the whole site and for each
authority, topic and place, with RFC 5005 archives, and JSON Feed 1.1 for the whole site.

The package, by stage: `plan` says which channels there are and which releases each of their
documents holds (subscription document, archive pages, tombstones); `content` makes a
release's full HTML and teaser; `items` builds each release's RSS item and Atom entry once;
`documents` wraps items into RSS and Atom documents; `json_feed` makes the JSON Feed pages;
`tasks` turns all of them into output tasks.

feedgen builds every channel and every item. A release's RSS item and Atom entry do not depend
on the feed that carries them, so each is built and serialised once and its bytes are spliced
into every feed document that contains the release (see `items.Items`). A release is in about
five feeds; on 2,000 releases, building and serialising both items once costs 0.35 ms CPU a
release (0.7 s), while letting feedgen render every item in every document cost 2 s more.

History: each subscription feed holds the newest `feed_items` releases; older ones sit in
archive documents of `ARCHIVE_SIZE` slots, oldest first (`plan.plan`). Slots count withdrawn
releases too (they show nothing), so withdrawing a release changes only the page it sat in,
and a full page never changes again: its bytes stay the same from build to build, and the
output keeps its file (and modification time). Only an edit of a release in it, a release
added with an older date, or a withdrawal among the newest releases (which pulls the newest
archived release back into the subscription feed) changes it.

The JSON Feed has no archive links of its own kind, so its pages follow the same plan: the
subscription document `feeds/feed.json` names the newest archive page in `next_url`, each page
the next older one, and page 1 (the oldest) none; a JSON Feed reader that follows `next_url`
reads every published release once, and a new release rewrites no full page.

Forgetting: an Atom subscription document carries RFC 6721 tombstones (`at:deleted-entry`) for
the `feed_items` releases of its feed that went off the site most recently – withdrawn, or
appeals past `expires` – with the entry's id and the time, nothing else (`plan.tombstones`).
RSS has no such element.
"""

from __future__ import annotations

from generator.outputs.feeds.plan import ARCHIVE_SIZE, Channel, Plan, Tombstone, describe, plan, tag_uri, tombstones
from generator.outputs.feeds.tasks import feed_tasks

__all__ = ["ARCHIVE_SIZE", "Channel", "Plan", "Tombstone", "describe", "feed_tasks", "plan", "tag_uri", "tombstones"]
