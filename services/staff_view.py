"""What staff see of one complaint: everything, with contact data and rahasia content logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models import AccessLog, Complaint, IntakeRecord, Privacy, ResponseTemplate, Role, SlaClock, TimelineEvent

from . import clock, open311_attributes, sessions, sla
from .complaints import EventView
from .errors import DomainError
from .validation import format_phone
from .workflow import Actor, allowed_actions, load_for, rahasia_hidden

RAHASIA_TITLE = 'Aduan rahasia'
RAHASIA_TEXT = 'Isi aduan rahasia hanya dapat dibaca oleh OPD yang menanganinya dan Diskominfo.'


@dataclass(frozen=True, slots=True)
class ClockRecord:
    view: sla.ClockView
    state: sla.SlaState
    at_risk_at: datetime | None
    breached_at: datetime | None


@dataclass(frozen=True, slots=True)
class StaffDetail:
    id: int
    code: str
    code_key: str
    version: int
    status: str
    privacy: Privacy
    channel: str
    source: str | None
    category: str
    agency: str | None
    agency_id: int | None
    title: str | None
    description: str
    place: str
    latitude: float | None  # the reporter's GPS point, if given (None when the place is hidden)
    longitude: float | None
    reported_at: datetime
    updated_by: str | None
    clocks: tuple[ClockRecord, ...]
    events: tuple[tuple[EventView, bool], ...]  # (event, is_public)
    photos: tuple[str, ...]
    actions: tuple[str, ...]
    intake: IntakeSummary | None = None  # entered by staff: where it came from
    # Open311 (issue 12 §4): a partner's photo link (never fetched) and the answers to the category's questions
    media_url: str | None = None
    answers: tuple[tuple[str, str], ...] = ()  # (question, answer in words)
    merged_into: str | None = None  # the survivor's code, once merged (staff see it whatever its privacy)


@dataclass(frozen=True, slots=True)
class IntakeSummary:
    operator_name: str
    reference: str
    source_at: datetime  # when the citizen reported
    typed_at: datetime  # when it was entered
    platform: str
    post_url: str
    author_handle: str


@dataclass(frozen=True, slots=True)
class Contact:
    name: str | None
    phone: str | None
    email: str | None


async def detail(actor: Actor, code_key: str) -> StaffDetail:
    """The complaint for ``actor`` as they are now (NotFound outside their OPD). A rahasia complaint's content
    (title, description, place, photos, timeline texts) is shown only to those who may read it, and each
    such opening is logged."""
    actor = await sessions.verify(actor)
    complaint = await load_for(actor, code_key)
    await complaint.fetch_related('district', 'merged_into')
    hidden = complaint.privacy == Privacy.RAHASIA and rahasia_hidden(actor)
    if complaint.privacy == Privacy.RAHASIA and not hidden:
        await AccessLog.create(user_id=actor.user_id, complaint_id=complaint.id, what='rahasia', created_at=clock.now())
    now = clock.now()
    clocks = await SlaClock.filter(complaint_id=complaint.id).order_by('id')
    timeline = await TimelineEvent.filter(complaint_id=complaint.id).order_by('created_at', 'id')
    photos = await complaint.attachments.all().order_by('id').values_list('sha256', 'event_id')
    by_event: dict[int, list[str]] = {}
    for sha, event_id in photos:
        if event_id is not None:  # a photo the reporter added later shows with its timeline entry
            by_event.setdefault(event_id, []).append(sha)
    place = ', '.join(p for p in (complaint.address, complaint.village,
                                  f'Kec. {complaint.district.name}' if complaint.district else None) if p)
    return StaffDetail(
        id=complaint.id, code=complaint.code, code_key=complaint.code_key, version=complaint.version,
        status=complaint.status.value, privacy=complaint.privacy, channel=complaint.channel.value,
        source=complaint.source, category=complaint.category.name,
        agency=complaint.agency.name if complaint.agency else None, agency_id=complaint.agency_id,
        title=RAHASIA_TITLE if hidden else complaint.title,
        description=RAHASIA_TEXT if hidden else complaint.description,
        place='—' if hidden else place, latitude=None if hidden else complaint.latitude,
        longitude=None if hidden else complaint.longitude, reported_at=complaint.reported_at,
        updated_by=complaint.updated_by,
        clocks=tuple(ClockRecord(sla.ClockView.of(c), sla.state(c, now), c.at_risk_at, c.breached_at)
                     for c in clocks),
        events=tuple((EventView(kind=e.kind, status=e.status, message='' if hidden else e.message, actor=e.actor,
                                created_at=e.created_at, photos=() if hidden else tuple(by_event.get(e.id, ()))),
                      e.is_public) for e in timeline),
        photos=() if hidden else tuple(sha for sha, event_id in photos if event_id is None),
        actions=tuple(allowed_actions(actor, complaint.status)), intake=await _intake(complaint.id, hidden=hidden),
        media_url=None if hidden else complaint.media_url,
        answers=() if hidden or not complaint.attributes else tuple(open311_attributes.shown(
            await open311_attributes.for_category(complaint.category_id), complaint.attributes)),
        merged_into=complaint.merged_into.code if complaint.merged_into else None)


async def _intake(complaint_id: int, *, hidden: bool) -> IntakeSummary | None:
    record = await IntakeRecord.get_or_none(complaint_id=complaint_id)
    if record is None:
        return None
    # the reference is the operator's note of the source (a call or letter number), not contact data: the sender's
    # number goes in the reporter's phone, whose reading is logged (contact); a hidden rahasia complaint shows none
    return IntakeSummary(operator_name=record.operator_name, reference='' if hidden else record.reference,
                         source_at=record.source_at,
                         typed_at=record.typed_at, platform=record.platform,
                         post_url='' if hidden else record.post_url,
                         author_handle='' if hidden else record.author_handle)


async def contact(actor: Actor, code_key: str) -> Contact:
    """The reporter's contact data, for roles that may see it (checked now); every opening is logged."""
    actor = await sessions.verify(actor)
    if actor.role not in (Role.SUPERVISOR, Role.OPD_ADMIN):
        raise DomainError('Peran Anda tidak dapat melihat data kontak pelapor.')
    complaint: Complaint = await load_for(actor, code_key)
    await AccessLog.create(user_id=actor.user_id, complaint_id=complaint.id, what='contact', created_at=clock.now())
    return Contact(name=complaint.reporter_name,
                   phone=format_phone(complaint.reporter_phone) if complaint.reporter_phone else None,
                   email=complaint.reporter_email)


async def templates(actor: Actor, agency_id: int | None) -> list[tuple[str, str]]:
    """(title, body) of the response templates for the complaint's OPD and for everyone."""
    query = ResponseTemplate.filter(active=True)
    rows = await query.filter(agency_id=agency_id) if agency_id else []
    return [(t.title, t.body) for t in [*rows, *await query.filter(agency_id=None)]]


async def access_log(actor: Actor, *, limit: int = 200) -> list[tuple[datetime, str, str, str]]:
    """(when, username, complaint code, what) newest first: supervisors only."""
    actor = await sessions.verify(actor)
    if actor.role != Role.SUPERVISOR:
        raise DomainError('Hanya supervisor yang dapat membaca log akses.')
    rows = await AccessLog.all().order_by('-created_at').limit(limit).select_related('user', 'complaint')
    return [(r.created_at, r.user.username, r.complaint.code, r.what) for r in rows]
