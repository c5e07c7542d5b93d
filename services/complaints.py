"""Complaints: submit, look up by code (and PIN), and the public projection.

Pages and the Open311 API both call these functions; neither touches models directly.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.models import Model

from models import (
    Agency,
    Attachment,
    Category,
    Channel,
    ClockKind,
    Complaint,
    District,
    EventKind,
    OutboxMessage,
    Privacy,
    SlaClock,
    Status,
    TimelineEvent,
)

from . import attachments, clock, codes, duplicates, events, limits, open311_attributes, outbox, rows, sla, writes
from .errors import DomainError, NotFound, RateLimited, ValidationFailed
from .ratelimit import wait_text
from .settings import settings
from .validation import ComplaintFields, check_complaint_fields

REOPEN_DAYS = 7  # the reporter may reopen a resolved complaint within this many days (workflow's rule)


@dataclass(frozen=True, slots=True)
class EventView:
    kind: EventKind
    status: Status | None
    message: str
    actor: str | None
    created_at: datetime
    photos: tuple[str, ...] = ()  # content hashes


@dataclass(frozen=True, slots=True)
class PublicView:
    """What anyone holding the code may see; ``for_viewer`` hides a ``rahasia`` complaint's content
    from those without the PIN. Never carries the reporter's name or contact details."""

    code: str
    code_key: str
    status: Status
    privacy: Privacy
    category_code: str
    category_name: str
    agency_name: str | None
    title: str | None
    description: str | None
    district_name: str | None
    village: str | None
    reported_at: datetime
    clocks: tuple[sla.ClockView, ...]
    events: tuple[EventView, ...]
    photos: tuple[str, ...]
    content_visible: bool = True
    rating: int | None = None  # the reporter's rating of the resolution, once given
    rating_comment: str | None = None
    reopen_until: datetime | None = None  # a resolved complaint the reporter may still reopen, until then
    # A merged complaint (status digabung) follows its survivor: the survivor's code, and its view as anyone holding
    # the survivor's code may see it (a rahasia survivor's content stays hidden: this PIN is not the survivor's). A
    # rahasia survivor's code is never shown (merged_into None, its view without code): a merged complaint's code may
    # be listed publicly, and a list of rahasia codes would be a list of targets for PIN guessing.
    merged_into: str | None = None
    survivor: PublicView | None = None

    def for_viewer(self, *, pin_ok: bool) -> PublicView:
        if self.privacy != Privacy.RAHASIA or pin_ok:
            return self
        # Without the PIN a rahasia complaint shows its status and clocks only: once merged, those it follows, but
        # neither which complaint that is nor its timeline (they would tell what this one is about)
        survivor = None if self.survivor is None else replace(
            self.survivor, code='', code_key='', title=None, description=None, district_name=None, village=None,
            events=(), photos=(), content_visible=False, rating=None, rating_comment=None, reopen_until=None)
        return replace(self, title=None, description=None, district_name=None, village=None, events=(), photos=(),
                       content_visible=False, rating=None, rating_comment=None, reopen_until=None, merged_into=None,
                       survivor=survivor)

    @property
    def followed(self) -> PublicView:
        """Whose status, clocks and progress this complaint shows: its survivor's once merged, else its own."""
        return self.survivor if self.survivor is not None else self

    def clock(self, kind: ClockKind) -> sla.ClockView | None:
        """The newest clock of ``kind`` (a reopened complaint has more than one resolution clock)."""
        return next((c for c in reversed(self.clocks) if c.kind == kind), None)


@dataclass(frozen=True, slots=True)
class Submitted:
    code: str
    pin: str
    view: PublicView
    replayed: bool = False  # an earlier request with the same idempotency key made it (the PIN is new)


@dataclass(frozen=True, slots=True)
class Lookup:
    view: PublicView  # already limited to what this viewer may see
    pin_ok: bool
    pin_wrong: bool


_REFERENCE_TTL = 30.0  # seconds: an edited category or kecamatan shows on the form within this
_reference: dict[str, tuple[float, Any]] = {}

# Public summaries by code key, for a partner's poller asking for the same codes again and again. An entry
# is dropped when its complaint changes (publish_change), all are dropped with the reference data (an OPD or
# a category edited), and none lives past SUMMARY_MAX_AGE seconds (staleness bound once several instances run)
SUMMARY_MAX_AGE = 30.0
SUMMARY_CACHE_SIZE = 10_000
_summary_cache: dict[str, tuple[float, PublicSummary]] = {}
# Whole public views by code key, for tracking pages opened again and again (a shared link, a reload): set fresh
# by every published change, read for a lookup, with the same bounds as the summaries
_view_cache: dict[str, tuple[float, PublicView]] = {}


async def _cached(name: str, load: Callable[[], Awaitable[Any]]) -> Any:
    """Reference data every form page and every submission needs, read from the database at most every
    few seconds."""
    now = time.monotonic()
    hit = _reference.get(name)
    if hit is None or now - hit[0] > _REFERENCE_TTL:
        hit = _reference[name] = (now, await load())
    return hit[1]


cached_reference = _cached  # for other services' reference lists (e.g. the screening checklist)


def forget_reference_data() -> None:
    """Drop the cached lists and public summaries (after a supervisor edits categories, OPDs or kecamatan);
    the boards' shared readings are read again too."""
    _reference.clear()
    _summary_cache.clear()
    _view_cache.clear()
    duplicates.forget()
    events.reference_data_changed()


async def active_categories() -> list[tuple[int, str, str]]:
    """(id, name, description) of the categories citizens may pick, in display order."""
    async def load() -> list:
        rows = await Category.filter(active=True).order_by('sort_order', 'name').values_list(
            'id', 'name', 'description')
        return [tuple(row) for row in rows]
    return await _cached('categories', load)


async def _routable_categories() -> dict[int, Category]:
    """The active categories with their OPD, by id: what submit checks and routes by, without a query."""
    async def load() -> dict[int, Category]:
        return {category.id: category for category in await Category.filter(active=True).select_related('agency')}
    return await _cached('categories-routed', load)


async def _districts_by_id() -> dict[int, District]:
    async def load() -> dict[int, District]:
        return {district.id: district for district in await District.all()}
    return await _cached('district-rows', load)


async def agencies() -> list[tuple[int, str]]:
    """(id, name) of the active OPDs."""
    return [tuple(row) for row in await Agency.filter(active=True).order_by('name').values_list('id', 'name')]  # type: ignore[misc]


async def districts() -> list[tuple[int, str]]:
    async def load() -> list:
        return [tuple(row) for row in await District.all().order_by('name').values_list('id', 'name')]
    return await _cached('districts', load)


async def submit(*, category_id: int | None, description: str, title: str | None = None,
                 district_id: int | None = None, village: str | None = None, address: str | None = None,
                 latitude: float | None = None, longitude: float | None = None,
                 reporter_name: str | None = None, reporter_phone: str | None = None,
                 reporter_email: str | None = None, privacy: Privacy | str = Privacy.PUBLIK,
                 consent: bool = False, notify_reporter: bool = False, photo_tokens: Sequence[str] = (),
                 channel: Channel = Channel.WEB, source: str | None = None, idempotency_key: str | None = None,
                 client_address: str | None = None, reported_at: datetime | None = None,
                 extra_rows: Sequence[Model] = (), media_url: str | None = None, device_id: str | None = None,
                 account_id: str | None = None, attributes: dict[str, Any] | None = None,
                 attribute_answers: Mapping[str, Any] | None = None) -> Submitted:
    """Validate and store a new complaint with its clocks, first timeline event and photos in one
    transaction; route it to the category's OPD; emit ``created`` after the commit.

    The web form (``channel=web``) must name a title, kecamatan, the reporter's name and phone and
    give consent; other channels may leave them out. ``notify_reporter`` ("kirimi saya kabar") sends the
    reporter news of each step to the phone and/or email given (services.outbox), queued in the same
    transaction, as are the notices to the OPD it was routed to. A repeated ``idempotency_key`` returns the
    complaint it made before, with a new PIN, instead of a second one. ``client_address`` counts
    against the submission limit. ``reported_at`` is when the citizen reported (staff intake: the call, the
    post; checked by services.intake), now unless given: the clocks start there. ``extra_rows`` (unsaved rows
    with a ``complaint`` link, e.g. the intake record) are written in the same transaction.
    Raises ValidationFailed (per-field messages) or RateLimited.

    Open311 (issue 12 §4): ``media_url`` (a link, never fetched), ``device_id``, ``account_id`` and the
    category's ``attributes`` answers are stored as given; the caller checks them first
    (services.open311.check_extras, services.open311_attributes.check_answers). A form passes what was typed
    for the category's questions as ``attribute_answers`` instead: checked here with the other fields (each
    problem under ``attribute[code]``) and stored clean.
    """
    # A repeated idempotency key is caught by its unique index at insert time (no extra read here)
    if client_address is not None:
        wait = limits.submissions.retry_after(client_address)
        if wait:
            # A citizen with an urgent problem should not be left only with a wait: 112 takes complaints too
            raise RateLimited(f'Terlalu banyak aduan dari perangkat ini. Silakan coba lagi dalam {wait_text(wait)}'
                              ' atau hubungi Call Center 112. Isian Anda tetap tersimpan.', wait)

    fields, category, district, photos, answered = await _validated(
        web=channel == Channel.WEB, description=description, title=title, reporter_name=reporter_name,
        reporter_phone=reporter_phone, reporter_email=reporter_email, village=village, address=address,
        privacy=privacy, latitude=latitude, longitude=longitude, consent=consent, category_id=category_id,
        district_id=district_id, photo_tokens=photo_tokens, attribute_answers=attribute_answers)
    if attribute_answers is not None:
        attributes = answered

    if client_address is not None:
        limits.submissions.hit(client_address)
    reported_at = reported_at or clock.now()
    status = Status.DIDISPOSISIKAN if category.agency else Status.BARU
    pin = codes.new_pin()
    for attempt in range(5):  # a code collision (40 random bits) is rare; try a fresh code
        code, key = codes.new_code()
        try:
            complaint, clocks, event = await _store(
                code=code, key=key, pin=pin, fields=fields, category=category, district=district, status=status,
                channel=channel, source=source, idempotency_key=idempotency_key, reported_at=reported_at,
                photos=list(photos.values()), notify_reporter=notify_reporter, extra_rows=extra_rows,
                extras={'media_url': media_url, 'device_id': device_id, 'account_id': account_id,
                        'attributes': attributes or None})
            break
        except IntegrityError:
            replayed = await _replay(idempotency_key, fields) if idempotency_key else None
            if isinstance(replayed, Submitted):
                return replayed
            if replayed is _OTHER_CONTENT:
                idempotency_key = None  # a key kept from an earlier complaint (a stale draft): this one is new
            if attempt == 4:
                raise
    view = PublicView(
        code=code, code_key=key, status=status, privacy=fields.privacy, category_code=category.code,
        category_name=category.name, agency_name=category.agency.name if category.agency else None,
        title=fields.title, description=fields.description, district_name=district.name if district else None,
        village=fields.village,
        reported_at=reported_at, clocks=tuple(sla.ClockView.of(c) for c in clocks),
        events=(_event_view(event, ()),), photos=tuple(photos))
    events.publish(events.ComplaintNews('created', complaint.id, key, view, rows.staff_row(complaint, clocks,
                                                                                         reported_at)))
    return Submitted(code=code, pin=pin, view=view)


async def check(*, category_id: int | None, description: str, title: str | None, district_id: int | None,
                village: str | None = None, address: str | None = None, reporter_name: str | None = None,
                reporter_phone: str | None = None, reporter_email: str | None = None,
                privacy: Privacy | str = Privacy.PUBLIK, photo_tokens: Sequence[str] = (),
                attribute_answers: Mapping[str, Any] | None = None) -> None:
    """The checks ``submit`` makes for a channel other than the web form, without storing anything: raises
    ValidationFailed with a message per wrong field (a staff form shows them all at once)."""
    await _validated(web=False, description=description, title=title, reporter_name=reporter_name,
                     reporter_phone=reporter_phone, reporter_email=reporter_email, village=village, address=address,
                     privacy=privacy, latitude=None, longitude=None, consent=False, category_id=category_id,
                     district_id=district_id, photo_tokens=photo_tokens, attribute_answers=attribute_answers)


async def _validated(*, web: bool, description: str, title: str | None, reporter_name: str | None,
                     reporter_phone: str | None, reporter_email: str | None, village: str | None,
                     address: str | None, privacy: Privacy | str, latitude: float | None, longitude: float | None,
                     consent: bool, category_id: int | None, district_id: int | None, photo_tokens: Sequence[str],
                     attribute_answers: Mapping[str, Any] | None = None,
                     ) -> tuple[ComplaintFields, Category, District | None, dict[str, attachments.StoredImage],
                                dict[str, Any]]:
    fields, errors = check_complaint_fields(
        web=web, description=description, title=title, reporter_name=reporter_name, reporter_phone=reporter_phone,
        reporter_email=reporter_email, village=village, address=address, privacy=privacy, latitude=latitude,
        longitude=longitude, consent=consent)
    category = (await _routable_categories()).get(category_id) if category_id is not None else None
    if category is None:
        errors['category'] = 'Pilih kategori aduan.'
    district = (await _districts_by_id()).get(district_id) if district_id is not None else None
    if district is None and (web or district_id is not None):
        errors['district'] = 'Pilih kecamatan lokasi masalah.'
    photos = await check_photos(photo_tokens, errors)
    answered: dict[str, Any] = {}
    if attribute_answers is not None and category is not None:  # the category's own questions, asked on a form
        answered, wrong = open311_attributes.check_answers(await open311_attributes.for_category(category.id),
                                                           attribute_answers)
        errors.update(wrong)
    if errors:
        raise ValidationFailed(errors)
    assert category is not None
    return fields, category, district, photos, answered


async def _store(*, code: str, key: str, pin: str, fields: ComplaintFields, category: Category,
                 district: District | None, status: Status, channel: Channel, source: str | None,
                 idempotency_key: str | None, reported_at: datetime, photos: list[attachments.StoredImage],
                 notify_reporter: bool, extra_rows: Sequence[Model] = (), extras: dict[str, Any] | None = None,
                 ) -> tuple[Complaint, list[SlaClock], TimelineEvent]:
    """Write the complaint, its two clocks, its first event, its photos and the news it makes (the outbox's
    messages and the OPD's notices) in one transaction."""
    clocks = [sla.new_clock(category, kind, reported_at) for kind in (ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION)]
    complaint = Complaint(
        code=code, code_key=key, pin_hash=codes.hash_pin(pin, key), channel=channel, source=source,
        idempotency_key=idempotency_key or None, category=category, agency=category.agency, status=status,
        privacy=fields.privacy, title=fields.title, description=fields.description, district=district,
        village=fields.village, address=fields.address, latitude=fields.latitude, longitude=fields.longitude,
        reporter_name=fields.reporter_name, reporter_phone=fields.phone, reporter_email=fields.email,
        notify_reporter=notify_reporter and bool(fields.phone or fields.email), reported_at=reported_at,
        next_due_at=min(c.due_at for c in clocks), next_risk_at=min(c.at_risk_due_at for c in clocks),
        **(extras or {}))
    event = TimelineEvent(kind=EventKind.SUBMITTED, status=status, is_public=True, actor='Sistem',
                          created_at=reported_at,
                          message=_arrival_message(channel, category.agency.name if category.agency else None))
    stored_photos = [Attachment(sha256=p.sha256, content_type='image/jpeg', size=p.size, width=p.width,
                                height=p.height) for p in photos]
    news, staff_ids = await outbox.submitted_rows(complaint, category.agency)
    await writes.insert_family(complaint, [*clocks, event, *stored_photos, *news, *extra_rows], link='complaint')
    outbox.announce_submitted(sum(isinstance(row, OutboxMessage) for row in news), staff_ids)
    return complaint, clocks, event


async def check_photos(tokens: Sequence[str], errors: dict[str, str]) -> dict[str, attachments.StoredImage]:
    """The uploaded photos behind ``tokens`` (at most ``max_photos``), by content hash; a problem goes into
    ``errors['photos']``."""
    photos: dict[str, attachments.StoredImage] = {}
    if len(tokens) > settings.max_photos:
        errors['photos'] = f'Maksimal {settings.max_photos} foto.'
    for token in tokens[:settings.max_photos]:
        photo = await attachments.describe_token(token)
        if photo is None:
            errors['photos'] = 'Foto tidak ditemukan lagi di server. Silakan pilih ulang fotonya.'
        else:
            photos[photo.sha256] = photo
    return photos


_OTHER_CONTENT = object()


async def _replay(idempotency_key: str, fields: ComplaintFields) -> Submitted | object | None:
    """The complaint an earlier request with this key made, with a fresh PIN; ``_OTHER_CONTENT`` when
    that complaint says something else (the key was reused, so this is not a repeat); None if none.

    The key is a random value only the submitting browser holds, and a replay means that browser
    may never have seen the first answer (a dropped connection), so its PIN is issued anew.
    """
    existing = await Complaint.get_or_none(idempotency_key=idempotency_key).only(
        'id', 'code_key', 'title', 'description')
    if existing is None:
        return None
    if (existing.title, existing.description) != (fields.title, fields.description):
        return _OTHER_CONTENT
    pin = codes.new_pin()
    await Complaint.filter(id=existing.id).update(pin_hash=codes.hash_pin(pin, existing.code_key))
    view = await public_view(existing.id)
    return Submitted(code=view.code, pin=pin, view=view, replayed=True)


def _arrival_message(channel: Channel, agency_name: str | None) -> str:
    via = {Channel.WEB: 'situs web', Channel.API: 'aplikasi mitra', Channel.CALL_CENTER: 'Call Center 112',
           Channel.SOCIAL_MEDIA: 'media sosial', Channel.WHATSAPP: 'WhatsApp', Channel.WALK_IN: 'loket pengaduan',
           Channel.LETTER: 'surat'}[channel]
    if agency_name:
        return f'Aduan diterima melalui {via} dan diteruskan ke {agency_name}.'
    return f'Aduan diterima melalui {via} dan menunggu verifikasi petugas.'


def _event_view(event: TimelineEvent, photos: Sequence[str]) -> EventView:
    return EventView(kind=event.kind, status=event.status, message=event.message, actor=event.actor,
                     created_at=event.created_at, photos=tuple(photos))


async def public_view(complaint_id: int) -> PublicView:
    view = await public_view_by_key(None, complaint_id=complaint_id)
    assert view is not None
    return view


async def public_view_by_key(key: str | None, *, complaint_id: int | None = None) -> PublicView | None:
    """The full public projection of one complaint (by code key or id, before any PIN rule), or None."""
    query = Complaint.filter(code_key=key) if key else Complaint.filter(id=complaint_id)
    complaint = await query.select_related('category', 'agency', 'district').first()
    if complaint is None:
        return None
    clocks = await complaint.clocks.all().order_by('id')
    timeline = await complaint.events.filter(is_public=True).order_by('created_at', 'id')
    photos = await complaint.attachments.filter(is_public=True).order_by('id').values_list('sha256', 'event_id')
    by_event: dict[int, list[str]] = {}
    for sha, event_id in photos:
        if event_id is not None:
            by_event.setdefault(event_id, []).append(sha)
    survivor = None
    if complaint.merged_into_id is not None:  # as the survivor's code without its PIN shows it: not this PIN's
        survivor = (await public_view(complaint.merged_into_id)).for_viewer(pin_ok=False)
        if survivor.privacy == Privacy.RAHASIA:
            survivor = replace(survivor, code='', code_key='')
    resolutions = [c for c in clocks if c.kind == ClockKind.RESOLUTION]
    reopen_until = None
    if complaint.status == Status.SELESAI and len(resolutions) == 1 and resolutions[0].stopped_at is not None:
        reopen_until = resolutions[0].stopped_at + timedelta(days=REOPEN_DAYS)
    return PublicView(
        code=complaint.code, code_key=complaint.code_key, status=complaint.status, privacy=complaint.privacy,
        category_code=complaint.category.code, category_name=complaint.category.name,
        agency_name=complaint.agency.name if complaint.agency else None, title=complaint.title,
        description=complaint.description, district_name=complaint.district.name if complaint.district else None,
        village=complaint.village, reported_at=complaint.reported_at,
        clocks=tuple(sla.ClockView.of(c) for c in clocks),
        events=tuple(_event_view(e, by_event.get(e.id, ())) for e in timeline),
        photos=tuple(sha for sha, event_id in photos if event_id is None), rating=complaint.rating,
        rating_comment=complaint.rating_comment, reopen_until=reopen_until,
        merged_into=survivor.code or None if survivor is not None else None, survivor=survivor)


class PinLimited(RateLimited):
    """Too many wrong PINs for this complaint (from any address): the PIN is not checked until the wait passes."""


async def look_up(*, code: str, pin: str | None = None, client_address: str | None = None) -> Lookup:
    """Find a complaint by its tracking code (read loosely) and optional PIN.

    Each attempt is counted before anything is checked, and given back when it succeeds: an unknown
    code or a wrong PIN counts against the client's limit, a wrong PIN also against the complaint's own
    (every address together). Past a limit the call is refused before any database work, and a right
    code or PIN waits too. Raises NotFound, RateLimited or PinLimited (a RateLimited).
    """
    _reserve_lookup(client_address)
    key = codes.code_key(code)
    view = await _view_for_lookup(key) if key else None
    if view is None:
        raise NotFound('Kode pelacakan tidak ditemukan. Periksa kembali kodenya.')
    pin_ok = pin_wrong = False
    if pin and pin.strip():
        pin_ok = bool(await _pin_matches(view.code_key, pin, client_address))
        pin_wrong = not pin_ok
    if not pin_wrong:
        _refund(client_address)
    return Lookup(view=view.for_viewer(pin_ok=pin_ok), pin_ok=pin_ok, pin_wrong=pin_wrong)


async def prove_reporter(*, code_key: str, pin: str, client_address: str | None) -> None:
    """Check that whoever acts holds the complaint's PIN, counted and throttled as a tracking lookup with a
    PIN is (the attempt is counted before the check and given back when right). Raises PinLimited,
    RateLimited, NotFound or DomainError (a wrong PIN)."""
    _reserve_lookup(client_address)
    if not (pin or '').strip():
        _refund(client_address)
        raise DomainError('Masukkan PIN aduan ini.')
    matches = await _pin_matches(code_key, pin, client_address)
    if matches is None:
        raise NotFound('Aduan tidak ditemukan.')
    if not matches:
        raise DomainError('PIN tidak cocok. Periksa kembali PIN yang Anda simpan.')
    _refund(client_address)


def _reserve_lookup(client_address: str | None) -> None:
    """Count a lookup against the client's failed-lookup limit before anything is read (given back when it
    turns out right); raises RateLimited past the limit."""
    if client_address is not None and (wait := limits.failed_lookups.reserve(client_address)):
        raise RateLimited(f'Terlalu banyak percobaan yang gagal. Silakan coba lagi dalam {wait_text(wait)}.', wait)


async def _pin_matches(code_key: str, pin: str, client_address: str | None) -> bool | None:
    """Whether ``pin`` is the complaint's (None: no such complaint), counted against the complaint's wrong-PIN
    limit before the check and given back when right. Past the limit raises PinLimited, giving the client's
    lookup back (the code was right and no PIN was checked)."""
    if wait := limits.failed_pins.reserve(code_key):
        _refund(client_address)
        raise PinLimited('Terlalu banyak PIN salah untuk aduan ini. Demi keamanan, PIN dapat dicoba lagi dalam '
                         f'{wait_text(wait)}.', wait)
    pin_hash = await Complaint.filter(code_key=code_key).first().values_list('pin_hash', flat=True)
    if pin_hash is None:
        limits.failed_pins.refund(code_key)
        return None
    matches = codes.check_pin(pin, code_key, str(pin_hash))
    if matches:
        limits.failed_pins.refund(code_key)
    return matches


async def _view_for_lookup(key: str) -> PublicView | None:
    hit = _view_cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < SUMMARY_MAX_AGE:
        return hit[1]
    seen = events.published()
    view = await public_view_by_key(key)
    if view is not None and events.published() == seen:  # no change published while reading: it is current
        _remember(view)
    return view


def _remember(view: PublicView) -> None:
    if len(_view_cache) >= SUMMARY_CACHE_SIZE and view.code_key not in _view_cache:
        del _view_cache[next(iter(_view_cache))]
    _view_cache[view.code_key] = (time.monotonic(), view)


def _refund(client_address: str | None) -> None:
    if client_address is not None:
        limits.failed_lookups.refund(client_address)


async def publish_change(complaint_id: int) -> PublicView:
    """Read a changed complaint once, project it for every audience, and emit ``updated``; the complaints merged
    into it follow it, so each of them is published again too (their tracking pages show its progress)."""
    view = await public_view(complaint_id)
    _summary_cache.pop(view.code_key, None)
    _remember(view)
    events.publish(events.ComplaintNews('updated', complaint_id, view.code_key, view, await rows.row_for(complaint_id)))
    for follower_id in await Complaint.filter(merged_into_id=complaint_id).values_list('id', flat=True):
        await publish_change(follower_id)  # one step only: a survivor is never merged itself
    return view


@dataclass(frozen=True, slots=True)
class PublicSummary:
    """One complaint in a public listing (privacy rules as on the tracking page without PIN)."""

    code: str
    status: Status
    category_code: str
    category_name: str
    agency_name: str | None
    description: str | None  # None for a rahasia complaint
    place: str | None
    latitude: float | None
    longitude: float | None
    reported_at: datetime
    updated_at: datetime
    resolution_due: datetime | None
    photo: str | None  # content hash of the first public photo
    # Open311 (issue 12 §4); None for a rahasia complaint but the notes, which are then its status in words
    address_string: str | None = None  # the address as posted or typed
    media_url: str | None = None  # a partner's link, stored as given
    notes: str | None = None  # the newest public message on its timeline
    device_id: str | None = None  # for the partner that posted it only (api/open311 decides)
    account_id: str | None = None
    source: str | None = None  # the API key's name that posted it
    # a merged complaint: ``status`` is its survivor's, and this the survivor's code (None for a rahasia survivor)
    merged_into: str | None = None


async def public_list(*, codes: Sequence[str] = (), category_codes: Sequence[str] = (),
                      statuses: Sequence[Status] = (), start: datetime | None = None, end: datetime | None = None,
                      limit: int = 1000, offset: int = 0) -> list[PublicSummary]:
    """Complaints matching the filters, newest first, in their public projection (three queries).

    A ``rahasia`` complaint is never listed: a list of its codes would be a list of targets for PIN guessing.
    """
    query = Complaint.exclude(privacy=Privacy.RAHASIA)
    if codes:
        query = query.filter(code_key__in=[k for k in map(code_key_of, codes) if k])
    if category_codes:
        query = query.filter(category__code__in=list(category_codes))
    if statuses:  # a merged complaint shows its survivor's status (PublicSummary), and is found by it
        query = query.filter(Q(status__in=list(statuses), merged_into_id=None) |
                             Q(merged_into__status__in=list(statuses)))
    if start:
        query = query.filter(reported_at__gte=start)
    if end:
        query = query.filter(reported_at__lte=end)
    rows = await query.order_by('-reported_at', '-id').offset(offset).limit(limit).select_related(
        'category', 'agency', 'district')
    return await _summaries(rows)


async def public_summary(code: str, *, client_address: str | None = None) -> PublicSummary | None:
    """One complaint's public summary by its code (read loosely), or None.

    A cached answer needs no counting; otherwise the lookup is counted against ``client_address``'s
    failed-lookup limit before the database is read (the same limit as the tracking page) and given
    back when the code exists. Raises RateLimited past the limit.
    """
    key = code_key_of(code)
    if (cached := cached_summary(code)) is not None:
        return cached
    if client_address is not None and (wait := limits.failed_lookups.reserve(client_address)):
        raise RateLimited(f'Terlalu banyak permintaan yang gagal. Silakan coba lagi dalam {wait_text(wait)}.', wait)
    if not key:
        return None
    seen = events.published()
    row = await Complaint.filter(code_key=key).select_related('category', 'agency', 'district').first()
    if row is None:
        return None
    _refund(client_address)
    summary = (await _summaries([row]))[0]
    if events.published() == seen:  # no change was published while reading: the summary is current
        if len(_summary_cache) >= SUMMARY_CACHE_SIZE:
            del _summary_cache[next(iter(_summary_cache))]
        _summary_cache[key] = (time.monotonic(), summary)
    return summary


def cached_summary(code: str) -> PublicSummary | None:
    """The summary cached for ``code`` (no database work), or None."""
    key = code_key_of(code)
    hit = _summary_cache.get(key) if key else None
    return hit[1] if hit is not None and time.monotonic() - hit[0] < SUMMARY_MAX_AGE else None


def code_key_of(code: str) -> str | None:
    return codes.code_key(code)


async def _summaries(rows: Sequence[Complaint]) -> list[PublicSummary]:
    ids = [c.id for c in rows]
    due: dict[int, datetime] = {}
    photos: dict[int, str] = {}
    notes: dict[int, str] = {}
    if ids:
        for complaint_id, message in await TimelineEvent.filter(complaint_id__in=ids, is_public=True).exclude(
                message='').order_by('created_at', 'id').values_list('complaint_id', 'message'):
            notes[complaint_id] = message  # oldest first: the newest message wins
        for complaint_id, due_at in await SlaClock.filter(complaint_id__in=ids, kind=ClockKind.RESOLUTION) \
                .order_by('id').values_list('complaint_id', 'due_at'):
            due[complaint_id] = due_at  # ordered by id: the newest resolution clock wins
        for complaint_id, sha in await Attachment.filter(complaint_id__in=ids, is_public=True, event_id=None) \
                .order_by('-id').values_list('complaint_id', 'sha256'):
            photos[complaint_id] = sha  # ordered newest first: the first photo wins
    survivors: dict[int, tuple[Status, str | None]] = {}
    if merged := [c.merged_into_id for c in rows if c.merged_into_id is not None]:
        survivors = {i: (s, None if p == Privacy.RAHASIA else code) for i, s, p, code in
                     await Complaint.filter(id__in=merged).values_list('id', 'status', 'privacy', 'code')}
    result = []
    for c in rows:
        hidden = c.privacy == Privacy.RAHASIA
        status, merged_into = survivors.get(c.merged_into_id or 0, (c.status, None))
        place = ', '.join(p for p in (c.address, c.village, f'Kec. {c.district.name}' if c.district else None)
                          if p) or None
        result.append(PublicSummary(
            code=c.code, status=status, merged_into=merged_into, category_code=c.category.code,
            category_name=c.category.name,
            agency_name=c.agency.name if c.agency else None, description=None if hidden else c.description,
            place=None if hidden else place, latitude=None if hidden else c.latitude,
            longitude=None if hidden else c.longitude, reported_at=c.reported_at, updated_at=c.updated_at,
            resolution_due=due.get(c.id), photo=None if hidden else photos.get(c.id),
            address_string=None if hidden else c.address, media_url=None if hidden else c.media_url,
            notes=None if hidden else notes.get(c.id), device_id=c.device_id, account_id=c.account_id,
            source=c.source if c.channel != Channel.WEB else None))
    return result


async def categories_for_api() -> list[tuple[str, str, str, str | None]]:
    """(code, name, description, OPD name) of the active categories."""
    rows = await Category.filter(active=True).order_by('sort_order', 'name').select_related('agency')
    return [(c.code, c.name, c.description, c.agency.name if c.agency else None) for c in rows]


async def category_id(code: str) -> int | None:
    category = await Category.get_or_none(code=code, active=True).only('id')
    return category.id if category else None
