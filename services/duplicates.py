"""Duplicate suggestions: while someone writes a complaint, the open complaints of the same category and kecamatan
whose text is similar ("Apakah maksud Anda salah satu dari ini?"), so a citizen may follow one instead.

What is offered: only open complaints, never a ``rahasia`` one (nor its text), never contact data; a title (or
the start of the description, which anyone holding a public complaint's code reads anyway), the place, the status
and the reporting time, and the code to follow it by.

How it stays fast with 20,000 open complaints: an in-memory index of the open, non-rahasia complaints' normalised
text per (category, kecamatan), each bucket loaded from the database the first time it is asked for (at most
``BUCKET_MAX`` newest complaints) and kept fresh by the event bus (``events.complaint_changed``: a complaint that
opens, changes or closes is put in, replaced or dropped). A query is bounded (``QUERY_MAX`` characters) and scored
with rapidfuzz's ``token_set_ratio`` over one bucket only. A client address may ask ``RATE`` times a minute,
counted before the work.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, process

from models import OPEN_STATUSES, Complaint, Privacy, Role, Status

from . import events, sessions
from .actor import Actor
from .errors import RateLimited
from .ratelimit import RateLimit, wait_text

LIMIT = 3  # suggestions shown
SCORE_MIN = 70  # token_set_ratio, 0-100: "jalan berlubang depan SD Kertek" finds its twin, not the street lamp
QUERY_MAX = 600  # characters of title + description compared (a 5,000-character description is cut here)
INDEX_TEXT = 400  # characters of each candidate's normalised title + description kept
MIN_WORDS = 3  # meaningful words the writer must have typed before anything is suggested
BUCKET_MAX = 2000  # candidates scanned per (category, kecamatan), the newest
TITLE_SHOWN = 100
RATE = 60  # suggestion calls per client address per minute (one per 400 ms pause of typing: plenty)

_limit = RateLimit(RATE, 60)

# Words that say nothing about which problem it is (Indonesian function words, and the ones every complaint has)
STOPWORDS = frozenset('''
yang di ke dari dan atau ini itu ada sudah belum tidak tak bukan sangat sekali untuk dengan pada dalam oleh
karena agar supaya jadi juga lagi masih akan bisa dapat mohon tolong segera pak bu bapak ibu kami saya kita
kamu mereka nya lah kah pun para sebuah suatu seperti saat sejak sampai hingga bagi tentang atas bawah
sekitar dekat depan belakang samping tersebut tsb dll yg dgn utk tdk sdh blm krn jl jln
'''.split())

_WORD = re.compile(r'[a-z0-9]+')


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One open complaint offered: what anyone may see of it, without the reporter."""

    code: str
    title: str
    district_name: str | None
    village: str | None
    status: Status
    reported_at: datetime
    score: int


@dataclass(slots=True)
class _Entry:
    code: str
    title: str
    district_name: str | None
    village: str | None
    status: Status
    reported_at: datetime


# (category id, district id) -> {complaint id: (normalised text, entry)}; only buckets asked for are loaded
_buckets: dict[tuple[int, int], dict[int, tuple[str, _Entry]]] = {}
_where: dict[int, tuple[int, int]] = {}  # complaint id -> its bucket, for a change that moves or closes it


def normalise(text: str, limit: int = QUERY_MAX) -> str:
    """Lower case, accents and punctuation gone, function words dropped: what similarity is measured on."""
    text = unicodedata.normalize('NFKD', text[:limit].lower())
    text = ''.join(c for c in text if not unicodedata.combining(c))
    return ' '.join(w for w in _WORD.findall(text) if len(w) > 1 and w not in STOPWORDS)


def _shown_title(title: str | None, description: str | None) -> str:
    text = (title or '').strip() or ' '.join((description or '').split())
    return text if len(text) <= TITLE_SHOWN else text[:TITLE_SHOWN - 1].rstrip() + '…'


def _offered(status: Status, privacy: Privacy) -> bool:
    return status in OPEN_STATUSES and privacy != Privacy.RAHASIA


def forget() -> None:
    """Drop the index and the counts (a fresh database in tests; reference data edited)."""
    _buckets.clear()
    _where.clear()
    _limit.reset()


def _on_change(news: events.ComplaintNews) -> None:
    """Keep loaded buckets true to a change: put the complaint in, replace it, or drop it (closed, merged, rahasia,
    moved to another category or kecamatan). Synchronous: no suggestion reads a half-applied change."""
    row, view = news.row, news.public
    old = _where.pop(news.complaint_id, None)
    if old is not None and old in _buckets:
        _buckets[old].pop(news.complaint_id, None)
    if row is None or row.get('district_id') is None or not _offered(view.status, view.privacy):
        return
    where = (row['category_id'], row['district_id'])
    bucket = _buckets.get(where)
    if bucket is None:
        return  # not loaded: read from the database when first asked for
    bucket[news.complaint_id] = (
        normalise(f'{view.title or ""} {view.description or ""}', INDEX_TEXT),
        _Entry(code=view.code, title=_shown_title(view.title, view.description), district_name=view.district_name,
               village=view.village, status=view.status, reported_at=view.reported_at))
    _where[news.complaint_id] = where
    if len(bucket) > BUCKET_MAX:  # the oldest goes: the bound holds while the bucket lives
        oldest = min(bucket, key=lambda i: bucket[i][1].reported_at)
        bucket.pop(oldest)
        _where.pop(oldest, None)


def _listen() -> None:
    """Hear every change from now on, for the life of the process (not of the page that asked first); again after
    the bus was reset (NiceGUI's test harness clears every subscription between tests)."""
    if not any(callback.func is _on_change for callback in events.complaint_changed.callbacks):
        events.complaint_changed.subscribe(_on_change, unsubscribe_on_delete=False)


async def _bucket(category_id: int, district_id: int) -> dict[int, tuple[str, _Entry]]:
    where = (category_id, district_id)
    if (bucket := _buckets.get(where)) is not None:
        return bucket
    _listen()
    seen = events.published()
    found = await Complaint.filter(
        category_id=category_id, district_id=district_id, status__in=list(OPEN_STATUSES),
        privacy__not=Privacy.RAHASIA).order_by('-reported_at').limit(BUCKET_MAX).values_list(
        'id', 'code', 'title', 'description', 'village', 'status', 'reported_at', 'district__name')
    bucket = {i: (normalise(f'{title or ""} {description}', INDEX_TEXT),
                  _Entry(code=code, title=_shown_title(title, description), district_name=district, village=village,
                         status=Status(status), reported_at=reported_at))
              for i, code, title, description, village, status, reported_at, district in found}
    if events.published() == seen and where not in _buckets:  # nothing changed while reading: it is current
        _buckets[where] = bucket
        for complaint_id in bucket:
            _where[complaint_id] = where
    return bucket


async def similar_to(actor: Actor, code_key: str) -> list[Suggestion]:
    """For a supervisor about to merge: the open complaints like this one (same category and kecamatan, similar
    text), as a citizen would be offered them; [] for anyone who may not merge, or a complaint that is not open."""
    actor = await sessions.verify(actor)
    if actor.role != Role.SUPERVISOR:
        return []
    complaint = await Complaint.get_or_none(code_key=code_key).only(
        'code', 'category_id', 'district_id', 'title', 'description', 'status')
    if complaint is None or complaint.status not in OPEN_STATUSES:
        return []
    return await suggest(category_id=complaint.category_id, district_id=complaint.district_id,
                         title=complaint.title, description=complaint.description, exclude_code=complaint.code)


async def suggest(*, category_id: int | None, district_id: int | None, title: str | None = None,
                  description: str | None = None, client_address: str | None = None,
                  exclude_code: str | None = None) -> list[Suggestion]:
    """Up to ``LIMIT`` open complaints of the category and kecamatan whose text is like what is being written, most
    similar first; [] until both are chosen and ``MIN_WORDS`` meaningful words are typed. Counted against
    ``client_address`` before any work; raises RateLimited past ``RATE`` a minute."""
    if client_address is not None and (wait := _limit.reserve(client_address)):
        raise RateLimited(f'Saran aduan serupa dijeda sebentar. Coba lagi dalam {wait_text(wait)}; aduan Anda tetap '
                          'dapat dikirim.', wait)
    if not isinstance(category_id, int) or not isinstance(district_id, int):
        return []
    query = normalise(f'{(title or "")[:QUERY_MAX]} {(description or "")[:QUERY_MAX]}')
    if len(query.split()) < MIN_WORDS:
        return []
    bucket = await _bucket(category_id, district_id)
    if not bucket:
        return []
    choices = {complaint_id: text for complaint_id, (text, _) in bucket.items()}
    found = process.extract(query, choices, scorer=fuzz.token_set_ratio, score_cutoff=SCORE_MIN, limit=LIMIT + 1)
    result = []
    for _, score, complaint_id in found:
        entry = bucket[complaint_id][1]
        if entry.code == exclude_code:
            continue
        result.append(Suggestion(code=entry.code, title=entry.title, district_name=entry.district_name,
                                 village=entry.village, status=entry.status, reported_at=entry.reported_at,
                                 score=round(score)))
    return result[:LIMIT]
