"""Complaints entered by staff: the 112 call centre, social media (screened under the SOP's criteria),
WhatsApp, walk-in and letters.

An operator (or a supervisor) types what the citizen reported, with where it came from. The clocks start at the
moment the citizen reported it (the call, the post), which may not lie in the future nor more than 7 days back;
the moment it was typed is kept beside it, so back-dating is on record. A social-media post becomes a complaint
only when every required criterion of the checklist holds; one that fails is kept as screened out, with its
reasons and everything typed, never public, and a supervisor can reverse either decision (logged).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from models import (
    Attachment,
    Channel,
    Complaint,
    EventKind,
    IntakeRecord,
    Role,
    ScreeningCriterion,
    ScreeningOutcome,
    SocialScreening,
    TimelineEvent,
    User,
)

from . import attachments, clock, complaints, sessions, staff_view, workflow
from .actor import Actor
from .complaints import Privacy, Submitted
from .errors import DomainError, NotFound, ValidationFailed
from .validation import clean_text

# The channels staff enter (web and the partners' API enter by themselves)
STAFF_CHANNELS = (Channel.CALL_CENTER, Channel.SOCIAL_MEDIA, Channel.WHATSAPP, Channel.WALK_IN, Channel.LETTER)
PLATFORMS = ('Facebook', 'Instagram', 'X (Twitter)', 'TikTok', 'YouTube', 'Lainnya')
INTAKE_ROLES = (Role.OPERATOR, Role.SUPERVISOR)
MAX_BACKDATE = timedelta(days=7)
CLOCK_SKEW = timedelta(minutes=2)  # a moment this little ahead of the server's clock is a clock difference, not a lie
BACKDATED_AFTER = timedelta(minutes=15)  # typed this long after the report: recorded on the timeline
MAX_REFERENCE, MAX_URL, MAX_HANDLE, MAX_CRITERION, MAX_NOTE = 120, 500, 100, 200, 1000
MAX_CRITERIA = 20
_URL = re.compile(r'https?://[^\s<>"]+', re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Source:
    """Where an entered complaint came from, as the operator typed it."""

    channel: Channel | str
    reported_at: datetime | None  # when the citizen reported (the call, the post, the letter's date)
    reference: str = ''  # call reference, chat or letter number, queue ticket (never a phone: that is the reporter's)
    platform: str = ''  # social media
    post_url: str = ''
    author_handle: str = ''
    screenshot_token: str = ''  # an uploaded photo's token (services.attachments)


@dataclass(frozen=True, slots=True)
class Criterion:
    id: int
    text: str
    required: bool
    position: int
    active: bool


@dataclass(frozen=True, slots=True)
class Entered:
    """What the operator reads out: the code and PIN of the new complaint; or why the post was screened out."""

    submitted: Submitted | None
    screening_id: int | None = None
    reasons: tuple[str, ...] = ()

    @property
    def screened_out(self) -> bool:
        return self.submitted is None


@dataclass(frozen=True, slots=True)
class EnteredRow:
    code: str
    title: str
    status: str
    channel: Channel
    reference: str
    source_at: datetime
    typed_at: datetime


@dataclass(frozen=True, slots=True)
class ScreeningRow:
    id: int
    platform: str
    post_url: str
    author_handle: str
    posted_at: datetime
    post_text: str
    outcome: ScreeningOutcome
    reasons: str
    screened_by: str
    screened_at: datetime
    code: str | None
    reversed_by: str | None
    reversed_at: datetime | None
    reversal_note: str | None


async def _acting(actor: Actor, roles: tuple[Role, ...] = INTAKE_ROLES) -> Actor:
    # as the member is now, not when the page loaded
    return await sessions.verify_role(actor, roles, 'Hanya operator dan supervisor yang dapat mencatat aduan dari '
                                      'kanal lain.' if roles == INTAKE_ROLES else
                                      'Hanya supervisor yang dapat melakukan ini.')


async def criteria(*, active_only: bool = True) -> list[Criterion]:
    """The checklist in order (the active lines, read at most every few seconds like other reference data)."""
    async def load() -> list[Criterion]:
        query = ScreeningCriterion.filter(active=True) if active_only else ScreeningCriterion.all()
        return [Criterion(c.id, c.text, c.required, c.position, c.active)
                for c in await query.order_by('position', 'id')]
    return await complaints.cached_reference('screening_criteria', load) if active_only else await load()


def check_source(source: Source, now: datetime, errors: dict[str, str]) -> tuple[Channel | None, dict[str, Any]]:
    """The source's fields, cleaned; a message per wrong one into ``errors``."""
    try:
        channel: Channel | None = Channel(source.channel)
    except ValueError:
        channel = None
    if channel not in STAFF_CHANNELS:
        errors['channel'] = 'Pilih kanal aduan: Call Center 112, media sosial, WhatsApp, datang langsung, atau surat.'
        channel = None
    moment = source.reported_at
    if moment is None:
        errors['reported_at'] = 'Isi tanggal dan jam warga melapor.'
    elif moment > now + CLOCK_SKEW:
        errors['reported_at'] = 'Waktu melapor tidak boleh di masa depan.'
    elif moment < now - MAX_BACKDATE:
        errors['reported_at'] = 'Waktu melapor paling lama 7 hari yang lalu. Aduan yang lebih lama dicatat hari ini.'
    fields = {
        'reference': clean_text(source.reference), 'platform': clean_text(source.platform),
        'post_url': (source.post_url or '').strip(), 'author_handle': clean_text(source.author_handle),
    }
    if len(fields['reference']) > MAX_REFERENCE:
        errors['reference'] = f'Nomor referensi maksimal {MAX_REFERENCE} karakter.'
    if channel == Channel.SOCIAL_MEDIA:
        if fields['platform'] not in PLATFORMS:
            errors['platform'] = 'Pilih platform media sosial.'
        if not _URL.fullmatch(fields['post_url']) or len(fields['post_url']) > MAX_URL:
            errors['post_url'] = 'Tempel tautan unggahan (diawali https://, maksimal 500 karakter).'
        if len(fields['author_handle']) > MAX_HANDLE:
            errors['author_handle'] = f'Nama akun maksimal {MAX_HANDLE} karakter.'
    else:  # only a post has these
        fields.update(platform='', post_url='', author_handle='')
    return channel, fields


async def enter(actor: Actor, *, source: Source, category_id: int | None, description: str,
                title: str | None, district_id: int | None, village: str | None = None,
                address: str | None = None, reporter_name: str | None = None, reporter_phone: str | None = None,
                reporter_email: str | None = None, privacy: Privacy | str = Privacy.PUBLIK,
                notify_reporter: bool = True, photo_tokens: tuple[str, ...] = (),
                answers: dict[int, bool] | None = None, request_key: str | None = None,
                attribute_answers: dict[str, Any] | None = None) -> Entered:
    """Record a complaint a citizen made by phone, post, chat, visit or letter (or screen a post out).

    ``answers`` maps each active screening criterion's id to whether it holds (social media only; a criterion
    left unanswered does not hold). ``request_key`` makes a double tap or a resend enter it once.
    ``attribute_answers``: what was typed for the category's extra questions (checked with the other fields).
    Raises ValidationFailed with a message per wrong field, NotAllowed, or SessionEnded.
    """
    actor = await _acting(actor)
    now = clock.now()
    errors: dict[str, str] = {}
    channel, fields = check_source(source, now, errors)
    # An operator asks the caller for these; the web form asks the citizen the same
    if not clean_text(title):
        errors['title'] = 'Tuliskan judul singkat aduan.'
    if district_id is None:
        errors['district'] = 'Pilih kecamatan lokasi masalah.'
    screenshot = None
    if channel == Channel.SOCIAL_MEDIA and source.screenshot_token:
        screenshot = await attachments.describe_token(source.screenshot_token)
        if screenshot is None:
            errors['screenshot'] = 'Tangkapan layar tidak ditemukan lagi di server. Silakan unggah ulang.'
    checklist = await criteria() if channel == Channel.SOCIAL_MEDIA else []
    failed = [c for c in checklist if c.required and not (answers or {}).get(c.id)]
    if errors or failed:
        # Everything else is checked by the complaint's own rules, so the operator sees every message at once
        try:
            await complaints.check(category_id=category_id, description=description, title=title,
                                   district_id=district_id, village=village, address=address,
                                   reporter_name=reporter_name, reporter_phone=reporter_phone,
                                   reporter_email=reporter_email, privacy=privacy, photo_tokens=photo_tokens,
                                   attribute_answers=attribute_answers)
        except ValidationFailed as more:
            errors = {**more.errors, **errors}
        if errors:
            raise ValidationFailed(errors)
    assert channel is not None and source.reported_at is not None
    reported_at = min(source.reported_at, now)
    draft = {'title': clean_text(title), 'description': clean_text(description), 'category_id': category_id,
             'district_id': district_id, 'village': clean_text(village), 'address': clean_text(address),
             'privacy': str(privacy), 'attributes': attribute_answers}
    if failed:  # screened out: kept with its reasons and all that was typed, never public, no complaint
        key = _idempotency_key(request_key)
        try:
            row = await SocialScreening.create(
                platform=fields['platform'], post_url=fields['post_url'], author_handle=fields['author_handle'],
                posted_at=reported_at, post_text=clean_text(description), screenshot_sha=screenshot.sha256
                if screenshot else None, answers=_answered(checklist, answers), draft=draft,
                outcome=ScreeningOutcome.SCREENED_OUT, reasons='; '.join(c.text for c in failed),
                screened_by_id=actor.user_id, screened_at=now, request_key=key)
        except IntegrityError:  # the same form sent again (a double tap, a reconnect): recorded once
            row = await SocialScreening.get(request_key=key)
        return Entered(None, screening_id=row.id, reasons=tuple(c.text for c in failed))

    extra: list = [IntakeRecord(channel=channel, operator_id=actor.user_id, operator_name=actor.name,
                                reference=fields['reference'], source_at=reported_at, typed_at=now,
                                platform=fields['platform'], post_url=fields['post_url'],
                                author_handle=fields['author_handle'])]
    if now - reported_at > BACKDATED_AFTER:
        extra.append(TimelineEvent(
            kind=EventKind.NOTE, is_public=False, actor=actor.name, created_at=now,
            message=f'Dicatat oleh {actor.name} {_ago(now - reported_at)} setelah warga melapor; jam SLA dihitung '
                    'sejak warga melapor.'))
    if channel == Channel.SOCIAL_MEDIA:
        extra.append(SocialScreening(
            platform=fields['platform'], post_url=fields['post_url'], author_handle=fields['author_handle'],
            posted_at=reported_at, post_text=clean_text(description),
            screenshot_sha=screenshot.sha256 if screenshot else None, answers=_answered(checklist, answers),
            draft=draft, outcome=ScreeningOutcome.PASSED, screened_by_id=actor.user_id, screened_at=now))
    if screenshot is not None:  # staff see it with the complaint; never public
        extra.append(Attachment(sha256=screenshot.sha256, content_type='image/jpeg', size=screenshot.size,
                                width=screenshot.width, height=screenshot.height, is_public=False))
    submitted = await complaints.submit(
        category_id=category_id, description=description, title=title, district_id=district_id, village=village,
        address=address, reporter_name=reporter_name, reporter_phone=reporter_phone, reporter_email=reporter_email,
        privacy=privacy, notify_reporter=notify_reporter, photo_tokens=photo_tokens, channel=channel,
        source=actor.name, idempotency_key=_idempotency_key(request_key),
        reported_at=reported_at, extra_rows=extra, attribute_answers=attribute_answers)
    return Entered(submitted)


def _idempotency_key(request_key: str | None) -> str | None:
    """The form's key as the complaint stores it: bounded, and apart from the citizen form's keys."""
    if not request_key:
        return None
    return 'intake:' + hashlib.sha256(request_key.encode('utf-8', 'replace')).hexdigest()[:40]


def _answered(checklist: list[Criterion], answers: dict[int, bool] | None) -> list[dict[str, Any]]:
    return [{'id': c.id, 'text': c.text, 'required': c.required, 'holds': bool((answers or {}).get(c.id))}
            for c in checklist]


def _ago(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes < 120:
        return f'{minutes} menit'
    hours = minutes // 60
    return f'{hours} jam' if hours < 48 else f'{hours // 24} hari {hours % 24} jam'


async def entered_by(actor: Actor, *, limit: int = 50) -> list[EnteredRow]:
    """The complaints this member entered, newest first: the operator's own board."""
    actor = await _acting(actor)
    records = await IntakeRecord.filter(operator_id=actor.user_id).order_by('-typed_at').limit(
        min(limit, 200)).select_related('complaint')
    return [EnteredRow(code=r.complaint.code, title=r.complaint.title or '', status=r.complaint.status,
                       channel=r.channel, reference=r.reference, source_at=r.source_at, typed_at=r.typed_at)
            for r in records]


async def intake_of(complaint_id: int) -> IntakeRecord | None:
    return await IntakeRecord.get_or_none(complaint_id=complaint_id)


# --- the checklist, edited by supervisors ---

async def save_criterion(actor: Actor, *, criterion_id: int | None, text: str, required: bool,
                         active: bool = True) -> Criterion:
    await _acting(actor, (Role.SUPERVISOR,))
    text = clean_text(text)
    if not 5 <= len(text) <= MAX_CRITERION:
        raise ValidationFailed({'text': f'Tuliskan kriteria (5 sampai {MAX_CRITERION} karakter).'})
    if criterion_id is None:
        if await ScreeningCriterion.filter(active=True).count() >= MAX_CRITERIA:
            raise DomainError(f'Paling banyak {MAX_CRITERIA} kriteria aktif.')
        last = await ScreeningCriterion.all().order_by('-position').first()
        row = await ScreeningCriterion.create(text=text, required=required, active=active,
                                              position=(last.position + 1) if last else 0)
        complaints.forget_reference_data()
    else:
        row = await ScreeningCriterion.get_or_none(id=criterion_id)
        if row is None:
            raise NotFound('Kriteria tidak ditemukan.')
        row.text, row.required, row.active = text, required, active
        await row.save(update_fields=['text', 'required', 'active'])
    complaints.forget_reference_data()
    return Criterion(row.id, row.text, row.required, row.position, row.active)


# --- screened posts, and a supervisor's reversal ---

async def screenings(actor: Actor, *, since: datetime | None = None, limit: int = 100) -> list[ScreeningRow]:
    """Screened posts, newest first (staff who enter or supervise only: the post's data is never public). A post
    entered as rahasia keeps its content from those who may not read rahasia content (operators)."""
    actor = await _acting(actor)
    hide = workflow.rahasia_hidden(actor)
    query = SocialScreening.all().select_related('screened_by', 'complaint')
    if since is not None:
        query = query.filter(screened_at__gte=since)
    rows = await query.order_by('-screened_at').limit(min(limit, 500))

    def secret(r: SocialScreening) -> bool:
        privacy = r.complaint.privacy if r.complaint else (r.draft or {}).get('privacy')
        return hide and privacy == Privacy.RAHASIA

    return [ScreeningRow(
        id=r.id, platform=r.platform, post_url='' if secret(r) else r.post_url,
        author_handle='' if secret(r) else r.author_handle, posted_at=r.posted_at,
        post_text=staff_view.RAHASIA_TEXT if secret(r) else r.post_text, outcome=r.outcome, reasons=r.reasons,
        screened_by=r.screened_by.full_name or r.screened_by.username, screened_at=r.screened_at,
        code=r.complaint.code if r.complaint else None, reversed_by=r.reversed_by, reversed_at=r.reversed_at,
        reversal_note=r.reversal_note) for r in rows]


async def screening_counts(*, since: datetime) -> dict[str, int]:
    """Posts screened in and out since ``since`` (for the statistics and the wall)."""
    counts = {outcome.value: 0 for outcome in ScreeningOutcome}
    for outcome in await SocialScreening.filter(screened_at__gte=since).values_list('outcome', flat=True):
        counts[outcome] += 1
    return counts


async def accept_screened_out(actor: Actor, screening_id: int, *, note: str) -> Submitted:
    """A supervisor reverses a screening-out: the post becomes a complaint as typed, its clocks from the post's
    time (or from now, when the post is older than 7 days), and the reversal is logged with who and why."""
    actor = await _acting(actor, (Role.SUPERVISOR,))
    note = clean_text(note)
    if not 5 <= len(note) <= MAX_NOTE:
        raise ValidationFailed({'note': f'Tuliskan alasan membatalkan penyaringan (5 sampai {MAX_NOTE} karakter).'})
    now = clock.now()
    row = await SocialScreening.get_or_none(id=screening_id)
    if row is None:
        raise NotFound('Unggahan yang disaring tidak ditemukan.')
    # Claimed in one conditional update: two supervisors reversing at once make one complaint
    claimed = await SocialScreening.filter(id=screening_id, outcome=ScreeningOutcome.SCREENED_OUT,
                                           reversed_at=None).update(
        outcome=ScreeningOutcome.PASSED, reversed_by=actor.name, reversed_at=now, reversal_note=note)
    if not claimed:
        raise DomainError('Keputusan penyaringan ini sudah diubah sebelumnya.')
    draft = row.draft
    operator = await User.get(id=row.screened_by_id)
    # the post's moment while it is within the 7 days an operator may back-date; an older post's clocks start now
    # (its OPD cannot answer for days that passed before it was accepted)
    reported_at = row.posted_at if now - row.posted_at <= MAX_BACKDATE else now
    extra: list = [IntakeRecord(channel=Channel.SOCIAL_MEDIA, operator_id=operator.id,
                          operator_name=operator.full_name or operator.username, reference='',
                          source_at=reported_at, typed_at=row.screened_at, platform=row.platform,
                          post_url=row.post_url, author_handle=row.author_handle),
             TimelineEvent(kind=EventKind.NOTE, is_public=False, actor=actor.name, created_at=now,
                           message=f'Penyaringan media sosial dibatalkan oleh {actor.name}: {note}')]
    shot = await attachments.describe_sha(row.screenshot_sha) if row.screenshot_sha else None
    if shot is not None:  # the post's screenshot goes with the complaint, for staff only, as on a pass
        extra.append(Attachment(sha256=shot.sha256, content_type='image/jpeg', size=shot.size, width=shot.width,
                                height=shot.height, is_public=False))
    try:
        submitted = await complaints.submit(
            category_id=draft.get('category_id'), description=draft.get('description') or row.post_text,
            title=draft.get('title'), district_id=draft.get('district_id'), village=draft.get('village'),
            address=draft.get('address'), privacy=draft.get('privacy') or Privacy.PUBLIK,
            channel=Channel.SOCIAL_MEDIA, source=actor.name, reported_at=reported_at, extra_rows=extra,
            attribute_answers=draft.get('attributes'))
    except BaseException as error:
        # whatever stopped it (a refusal, a lost connection), the reversal did not happen: the record says so again
        await SocialScreening.filter(id=screening_id).update(
            outcome=ScreeningOutcome.SCREENED_OUT, reversed_by=None, reversed_at=None, reversal_note=None)
        if isinstance(error, ValidationFailed):  # the post as typed no longer makes a complaint (e.g. its category
            raise DomainError(  # was closed): the supervisor is told what to do, not shown a field they cannot edit
                'Data unggahan ini tidak lagi memenuhi isian aduan (' + '; '.join(error.errors.values()) +
                '). Catat ulang unggahan ini lewat menu Aduan baru.') from error
        raise
    await SocialScreening.filter(id=screening_id).update(complaint_id=(await Complaint.get(
        code_key=submitted.view.code_key).only('id')).id)
    return submitted


async def screen_out_passed(actor: Actor, screening_id: int, *, note: str) -> None:
    """A supervisor reverses a pass: the post is recorded as screened out (with who and why) and its complaint is
    rejected with the reason as its public answer, through the workflow (only while a rejection is still a
    move the map allows: before an OPD has responded)."""
    actor = await _acting(actor, (Role.SUPERVISOR,))
    note = clean_text(note)
    if not 5 <= len(note) <= MAX_NOTE:
        raise ValidationFailed({'note': f'Tuliskan alasan menyaring keluar (5 sampai {MAX_NOTE} karakter).'})
    row = await SocialScreening.get_or_none(id=screening_id).select_related('complaint')
    if row is None or row.complaint is None:
        raise NotFound('Unggahan yang disaring tidak ditemukan.')
    complaint = row.complaint
    if row.outcome != ScreeningOutcome.PASSED or row.reversed_at is not None:
        raise DomainError('Keputusan penyaringan ini sudah diubah sebelumnya.')
    if not workflow.may(Role.SUPERVISOR, workflow.Action.REJECT, complaint.status):
        raise DomainError(f'Aduan {complaint.code} sudah ditangani OPD, jadi tidak dapat disaring keluar lagi.')
    claimed = await SocialScreening.filter(id=screening_id, outcome=ScreeningOutcome.PASSED, reversed_at=None).update(
        outcome=ScreeningOutcome.SCREENED_OUT, reasons=note, reversed_by=actor.name, reversed_at=clock.now(),
        reversal_note=note)
    if not claimed:
        raise DomainError('Keputusan penyaringan ini sudah diubah sebelumnya.')
    try:
        await workflow.act(actor, code_key=complaint.code_key, action=workflow.Action.REJECT,
                           expected_version=complaint.version,
                           message=f'Aduan dari media sosial ini tidak memenuhi kriteria penyaringan: {note}')
    except DomainError:
        await SocialScreening.filter(id=screening_id).update(
            outcome=ScreeningOutcome.PASSED, reasons='', reversed_by=None, reversed_at=None, reversal_note=None)
        raise
