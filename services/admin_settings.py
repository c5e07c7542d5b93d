"""The supervisor's settings: OPDs, categories, staff accounts, response templates and the access log.

Every function takes the acting staff member first and refuses anyone but a supervisor with
NotAllowed before it reads or changes anything. Bad input raises ValidationFailed with one
Indonesian message per field, and nothing is written. A change to OPDs or categories drops the
cached reference lists, so the submit page and the boards show it at once. A category's SLA
windows are copied into each clock when the clock starts: a new window applies to complaints
that arrive afterwards, and running clocks keep their deadlines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from tortoise.models import Model

from models import AccessLog, Agency, Category, Complaint, ResponseTemplate, Role, SlaCalendar, User

from . import auth, codes, complaints, notifications, sessions
from .errors import DomainError, NotFound, ValidationFailed
from .validation import clean_text, is_email
from .workflow import Actor

MAX_WINDOW_MINUTES = 365 * 24 * 60  # a year: anything longer is a typing slip, not an SOP
MAX_TEMPLATE_BODY = 5000  # the complaint page's message box takes as much
ACCESS_PAGE_SIZE = 50
_CODE = re.compile(r'^[A-Z0-9_]{2,32}$')
ModelT = TypeVar('ModelT', bound=Model)
_REFUSED = 'Hanya supervisor yang dapat membuka dan mengubah pengaturan.'


# --- What the pages get: plain snapshots, never live models ---

@dataclass(frozen=True, slots=True)
class AgencyRow:
    id: int
    code: str
    name: str
    short_name: str
    active: bool


@dataclass(frozen=True, slots=True)
class CategoryRow:
    id: int
    code: str
    name: str
    description: str
    agency_id: int | None
    agency_name: str | None
    first_response_minutes: int
    resolution_minutes: int
    calendar: SlaCalendar
    pause_when_waiting: bool
    active: bool
    sort_order: int


@dataclass(frozen=True, slots=True)
class UserRow:
    id: int
    username: str
    full_name: str
    role: Role
    agency_id: int | None
    agency_name: str | None
    active: bool
    last_login_at: datetime | None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class TemplateRow:
    id: int
    title: str
    body: str
    agency_id: int | None
    agency_name: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class AccessEntry:
    created_at: datetime
    username: str
    full_name: str
    complaint_code: str
    what: str  # 'contact' or 'rahasia'


@dataclass(frozen=True, slots=True)
class AccessPage:
    entries: list[AccessEntry]
    page: int
    has_next: bool


async def _supervisor(actor: Actor) -> Actor:
    """``actor`` as they are now (services.sessions), if a supervisor; else NotAllowed."""
    return await sessions.verify_role(actor, (Role.SUPERVISOR,), _REFUSED)


# --- OPDs ---

async def list_agencies(actor: Actor) -> list[AgencyRow]:
    """Every OPD, active or not, by name: supervisors only."""
    actor = await _supervisor(actor)
    return [_agency_row(a) for a in await Agency.all().order_by('name')]


async def get_agency(actor: Actor, agency_id: int) -> AgencyRow:
    actor = await _supervisor(actor)
    return _agency_row(await _get(Agency, agency_id, 'OPD tidak ditemukan.'))


async def create_agency(actor: Actor, *, code: str, name: str, short_name: str, active: bool = True) -> AgencyRow:
    """A new OPD (its code cannot change later: the CLI and imports name OPDs by code)."""
    actor = await _supervisor(actor)
    errors: dict[str, str] = {}
    code = _check_code(code, errors)
    name, short_name = _agency_names(name, short_name, errors)
    if 'code' not in errors and await Agency.exists(code=code):
        errors['code'] = f'Kode "{code}" sudah dipakai OPD lain.'
    if errors:
        raise ValidationFailed(errors)
    agency = await Agency.create(code=code, name=name, short_name=short_name, active=active)
    complaints.forget_reference_data()
    return _agency_row(agency)


async def update_agency(actor: Actor, *, agency_id: int, name: str, short_name: str, active: bool) -> AgencyRow:
    """Rename an OPD or (de)activate it. An OPD that active categories still route to stays active: the
    supervisor routes those categories elsewhere first, so no new complaint goes to a closed desk."""
    actor = await _supervisor(actor)
    agency = await _get(Agency, agency_id, 'OPD tidak ditemukan.')
    errors: dict[str, str] = {}
    name, short_name = _agency_names(name, short_name, errors)
    if not active and agency.active:
        routed = await Category.filter(agency_id=agency.id, active=True).values_list('name', flat=True)
        if routed:
            errors['active'] = ('OPD ini masih menjadi tujuan kategori aktif: ' + ', '.join(sorted(routed))
                                + '. Ubah OPD tujuan kategori tersebut terlebih dahulu.')
    if errors:
        raise ValidationFailed(errors)
    agency.name, agency.short_name, agency.active = name, short_name, active
    await agency.save(update_fields=['name', 'short_name', 'active'])
    complaints.forget_reference_data()
    return _agency_row(agency)


def _agency_names(name: str, short_name: str, errors: dict[str, str]) -> tuple[str, str]:
    name, short_name = clean_text(name), clean_text(short_name)
    if not name:
        errors['name'] = 'Isi nama OPD.'
    elif len(name) > 200:
        errors['name'] = 'Nama OPD maksimal 200 karakter.'
    if not short_name:
        errors['short_name'] = 'Isi nama singkat OPD (tampil di papan dan linimasa).'
    elif len(short_name) > 60:
        errors['short_name'] = 'Nama singkat maksimal 60 karakter.'
    return name, short_name


def _agency_row(agency: Agency) -> AgencyRow:
    return AgencyRow(id=agency.id, code=agency.code, name=agency.name, short_name=agency.short_name,
                     active=agency.active)


# --- Categories ---

async def list_categories(actor: Actor) -> list[CategoryRow]:
    """Every category, active or not, in display order: supervisors only."""
    actor = await _supervisor(actor)
    rows = await Category.all().order_by('sort_order', 'name').select_related('agency')
    return [_category_row(c) for c in rows]


async def get_category(actor: Actor, category_id: int) -> CategoryRow:
    actor = await _supervisor(actor)
    category = await Category.get_or_none(id=category_id).select_related('agency')
    if category is None:
        raise NotFound('Kategori tidak ditemukan.')
    return _category_row(category)


async def create_category(actor: Actor, *, code: str, name: str, description: str = '', agency_id: int | None,
                          first_response_minutes: int | None, resolution_minutes: int | None,
                          calendar: SlaCalendar | str = SlaCalendar.ROUND_THE_CLOCK, pause_when_waiting: bool = False,
                          active: bool = True, sort_order: int | None = 0) -> CategoryRow:
    """A new category. Its code is fixed from now on (the API's ``service_code``). With no OPD its complaints
    wait for a supervisor to dispatch them. An active one is on the submit page at once."""
    actor = await _supervisor(actor)
    errors: dict[str, str] = {}
    code = _check_code(code, errors)
    if 'code' not in errors and await Category.exists(code=code):
        errors['code'] = f'Kode "{code}" sudah dipakai kategori lain.'
    values = await _category_values(
        errors, name=name, description=description, agency_id=agency_id, current_agency_id=None,
        first_response_minutes=first_response_minutes, resolution_minutes=resolution_minutes, calendar=calendar,
        sort_order=sort_order)
    if errors:
        raise ValidationFailed(errors)
    category = await Category.create(code=code, pause_when_waiting=pause_when_waiting, active=active, **values)
    complaints.forget_reference_data()
    return await get_category(actor, category.id)


async def update_category(actor: Actor, *, category_id: int, name: str, description: str = '',
                          agency_id: int | None, first_response_minutes: int | None, resolution_minutes: int | None,
                          calendar: SlaCalendar | str, pause_when_waiting: bool, active: bool,
                          sort_order: int | None) -> CategoryRow:
    """Change a category. Routing applies to complaints that arrive afterwards, and so do new SLA windows and
    calendar: clocks already running keep their deadlines. A deactivated category leaves the submit page and
    the API's list; its complaints stay as they are."""
    actor = await _supervisor(actor)
    category = await _get(Category, category_id, 'Kategori tidak ditemukan.')
    errors: dict[str, str] = {}
    values = await _category_values(
        errors, name=name, description=description, agency_id=agency_id, current_agency_id=category.agency_id,
        first_response_minutes=first_response_minutes, resolution_minutes=resolution_minutes, calendar=calendar,
        sort_order=sort_order)
    if errors:
        raise ValidationFailed(errors)
    for field, value in {**values, 'pause_when_waiting': pause_when_waiting, 'active': active}.items():
        setattr(category, field, value)
    await category.save()
    complaints.forget_reference_data()
    return await get_category(actor, category.id)


async def _category_values(errors: dict[str, str], *, name: str, description: str, agency_id: int | None,
                           current_agency_id: int | None, first_response_minutes: int | None,
                           resolution_minutes: int | None, calendar: SlaCalendar | str,
                           sort_order: int | None) -> dict:
    name, description = clean_text(name), clean_text(description)
    if not name:
        errors['name'] = 'Isi nama kategori.'
    elif len(name) > 120:
        errors['name'] = 'Nama kategori maksimal 120 karakter.'
    if len(description) > 300:
        errors['description'] = 'Keterangan maksimal 300 karakter.'
    agency = None
    if agency_id is not None:
        agency = await Agency.get_or_none(id=agency_id)
        # An inactive OPD may stay where it already was, but no category is newly routed to it
        if agency is None or (not agency.active and agency.id != current_agency_id):
            errors['agency'] = 'Pilih OPD yang masih aktif, atau kosongkan agar aduan menunggu supervisor.'
    for field, minutes, label in (('first_response', first_response_minutes, 'respons awal'),
                                  ('resolution', resolution_minutes, 'penyelesaian')):
        if minutes is None or minutes <= 0:
            errors[field] = f'Isi batas waktu {label} dengan angka lebih dari nol.'
        elif minutes > MAX_WINDOW_MINUTES:
            errors[field] = f'Batas waktu {label} paling lama 365 hari.'
    if 'first_response' not in errors and 'resolution' not in errors and \
            first_response_minutes > resolution_minutes:  # type: ignore[operator]
        errors['first_response'] = 'Batas respons awal tidak boleh lebih lama dari batas penyelesaian.'
    try:
        calendar = SlaCalendar(calendar)
    except ValueError:
        errors['calendar'] = 'Pilih kalender: sepanjang waktu atau jam kerja.'
    if sort_order is None or not 0 <= sort_order <= 9999:
        errors['sort_order'] = 'Isi urutan dengan angka 0 sampai 9999.'
    return {'name': name, 'description': description, 'agency': agency,
            'first_response_minutes': first_response_minutes, 'resolution_minutes': resolution_minutes,
            'calendar': calendar, 'sort_order': sort_order}


def _category_row(category: Category) -> CategoryRow:
    agency = category.agency if category.agency_id else None
    return CategoryRow(
        id=category.id, code=category.code, name=category.name, description=category.description,
        agency_id=category.agency_id, agency_name=agency.name if agency else None,
        first_response_minutes=category.first_response_minutes, resolution_minutes=category.resolution_minutes,
        calendar=SlaCalendar(category.calendar), pause_when_waiting=category.pause_when_waiting,
        active=category.active, sort_order=category.sort_order)


# --- Staff accounts ---

async def list_users(actor: Actor) -> list[UserRow]:
    """Every staff account, active or not, by username: supervisors only."""
    actor = await _supervisor(actor)
    return [_user_row(u) for u in await User.all().order_by('username').select_related('agency')]


async def get_user(actor: Actor, user_id: int) -> UserRow:
    actor = await _supervisor(actor)
    user = await User.get_or_none(id=user_id).select_related('agency')
    if user is None:
        raise NotFound('Pengguna tidak ditemukan.')
    return _user_row(user)


async def create_user(actor: Actor, *, username: str, full_name: str, role: Role | str, agency_id: int | None,
                      password: str, email: str = '') -> UserRow:
    """A new staff account with an initial password (hashed by ``auth``). An OPD admin names its OPD; the
    other roles see every OPD and name none. With an ``email``, the member's notices go there too."""
    actor = await _supervisor(actor)
    errors: dict[str, str] = {}
    try:
        username = auth.check_username(username)
    except DomainError as error:
        errors['username'] = error.message
    else:
        if await User.exists(username=username):
            errors['username'] = f'Nama pengguna "{username}" sudah dipakai. Pilih nama lain.'
    full_name = _check_full_name(full_name, errors)
    email = _check_email(email, errors)
    role, agency = await _role_and_agency(role, agency_id, None, errors)
    try:
        auth.check_password(password)
    except DomainError as error:
        errors['password'] = error.message
    if errors:
        raise ValidationFailed(errors)
    user = await auth.create_user(username=username, password=password, role=role,
                                  agency_code=agency.code if agency else None, full_name=full_name, email=email)
    return await get_user(actor, user.id)


async def update_user(actor: Actor, *, user_id: int, full_name: str, role: Role | str, agency_id: int | None,
                      active: bool, email: str | None = None) -> UserRow:
    """Change a staff member's name, email (None: unchanged, empty: none), role or OPD, or (de)activate the
    account. A deactivated member's sessions end at once and their open pages go to the login; a changed role
    or OPD re-scopes their open pages. Supervisors cannot lock themselves out."""
    actor = await _supervisor(actor)
    user = await _get(User, user_id, 'Pengguna tidak ditemukan.')
    errors: dict[str, str] = {}
    full_name = _check_full_name(full_name, errors)
    email = user.email if email is None else _check_email(email, errors)
    role, agency = await _role_and_agency(role, agency_id, user.agency_id, errors)
    if user.id == actor.user_id:
        if not active:
            errors['active'] = 'Anda tidak dapat menonaktifkan akun Anda sendiri.'
        if role is not None and role != Role.SUPERVISOR:
            errors['role'] = 'Anda tidak dapat mengubah peran Anda sendiri.'
    if errors:
        raise ValidationFailed(errors)
    scope_changed = (user.role, user.agency_id) != (role, agency.id if agency else None)
    was_active = user.active
    user.full_name, user.role, user.agency, user.active, user.email = full_name, role, agency, active, email
    await user.save(update_fields=['full_name', 'role', 'agency_id', 'active', 'email'])
    notifications.forget_recipients()
    if was_active and not active:
        await sessions.end_all(user.id, reason='deactivated')
    elif scope_changed:
        sessions.access_changed(user.id)
    return await get_user(actor, user.id)


async def set_user_password(actor: Actor, *, user_id: int, password: str) -> None:
    """Give a staff member a new password (for example when they forgot theirs)."""
    actor = await _supervisor(actor)
    user = await _get(User, user_id, 'Pengguna tidak ditemukan.')
    try:
        auth.check_password(password)
    except DomainError as error:
        raise ValidationFailed({'password': error.message}) from None
    await auth.set_password(username=user.username, password=password, keep_session=actor.session_id)


def _check_full_name(full_name: str, errors: dict[str, str]) -> str:
    full_name = clean_text(full_name)
    if not full_name:
        errors['full_name'] = 'Isi nama lengkap (tampil di linimasa internal dan log akses).'
    elif len(full_name) > 120:
        errors['full_name'] = 'Nama lengkap maksimal 120 karakter.'
    return full_name


def _check_email(email: str | None, errors: dict[str, str]) -> str | None:
    email = clean_text(email) or None
    if email is not None and not is_email(email):
        errors['email'] = 'Alamat email tidak valid. Contoh: nama@wonosobokab.go.id (atau kosongkan).'
    return email


async def _role_and_agency(role: Role | str, agency_id: int | None, current_agency_id: int | None,
                           errors: dict[str, str]) -> tuple[Role, Agency | None]:
    try:
        role = Role(role)
    except ValueError:
        errors['role'] = 'Pilih peran pengguna.'
        return role, None  # type: ignore[return-value]
    if role != Role.OPD_ADMIN:
        return role, None  # only OPD admins are bound to an OPD; a stale choice from the form is dropped
    agency = await Agency.get_or_none(id=agency_id) if agency_id is not None else None
    if agency is None or (not agency.active and agency.id != current_agency_id):
        errors['agency'] = 'Admin OPD harus terikat pada satu OPD yang aktif. Pilih OPD-nya.'
    return role, agency


def _user_row(user: User) -> UserRow:
    agency = user.agency if user.agency_id else None
    return UserRow(id=user.id, username=user.username, full_name=user.full_name, role=Role(user.role),
                   agency_id=user.agency_id, agency_name=agency.short_name if agency else None, active=user.active,
                   last_login_at=user.last_login_at, email=user.email)


# --- Response templates ---

async def list_templates(actor: Actor) -> list[TemplateRow]:
    """Every response template, active or not, by title: supervisors only."""
    actor = await _supervisor(actor)
    return [_template_row(t) for t in await ResponseTemplate.all().order_by('title').select_related('agency')]


async def get_template(actor: Actor, template_id: int) -> TemplateRow:
    actor = await _supervisor(actor)
    template = await ResponseTemplate.get_or_none(id=template_id).select_related('agency')
    if template is None:
        raise NotFound('Templat tidak ditemukan.')
    return _template_row(template)


async def save_template(actor: Actor, *, template_id: int | None, title: str, body: str, agency_id: int | None,
                        active: bool = True) -> TemplateRow:
    """Create (``template_id`` None) or change a response template, for one OPD or (no OPD) for all. An
    inactive template is no longer offered on the complaint page."""
    actor = await _supervisor(actor)
    template = await _get(ResponseTemplate, template_id, 'Templat tidak ditemukan.') \
        if template_id is not None else None
    errors: dict[str, str] = {}
    title, body = clean_text(title), clean_text(body)
    if not title:
        errors['title'] = 'Isi judul templat.'
    elif len(title) > 100:
        errors['title'] = 'Judul templat maksimal 100 karakter.'
    if not body:
        errors['body'] = 'Isi teks templat.'
    elif len(body) > MAX_TEMPLATE_BODY:
        errors['body'] = f'Teks templat maksimal {MAX_TEMPLATE_BODY} karakter.'
    agency = await Agency.get_or_none(id=agency_id) if agency_id is not None else None
    if agency_id is not None and agency is None:
        errors['agency'] = 'OPD tidak ditemukan. Pilih OPD lain atau kosongkan untuk semua OPD.'
    if errors:
        raise ValidationFailed(errors)
    if template is None:
        template = await ResponseTemplate.create(title=title, body=body, agency=agency, active=active)
    else:
        template.title, template.body, template.agency, template.active = title, body, agency, active
        await template.save(update_fields=['title', 'body', 'agency_id', 'active'])
    return await get_template(actor, template.id)


def _template_row(template: ResponseTemplate) -> TemplateRow:
    agency = template.agency if template.agency_id else None
    return TemplateRow(id=template.id, title=template.title, body=template.body, agency_id=template.agency_id,
                       agency_name=agency.short_name if agency else None, active=template.active)


# --- The access log ---

async def access_log(actor: Actor, *, username: str = '', code: str = '', page: int = 0,
                     page_size: int = ACCESS_PAGE_SIZE) -> AccessPage:
    """One page of who opened reporters' contact data or rahasia content, newest first, optionally for one
    username and/or one complaint code. Read a page at a time from the database (the log only grows), and
    without a total count: a page asks for one row more to know whether another page follows."""
    actor = await _supervisor(actor)
    page = max(0, page)
    query = AccessLog.all()
    username = (username or '').strip().lower()
    if username:
        user_id = await User.filter(username=username).first().values_list('id', flat=True)
        if user_id is None:
            return AccessPage(entries=[], page=page, has_next=False)
        query = query.filter(user_id=user_id)
    if (code or '').strip():
        key = codes.code_key(code)
        complaint_id = await Complaint.filter(code_key=key).first().values_list('id', flat=True) if key else None
        if complaint_id is None:
            return AccessPage(entries=[], page=page, has_next=False)
        query = query.filter(complaint_id=complaint_id)
    # Newest first by id: rows are appended as they happen, and the primary key needs no extra index
    rows = await query.order_by('-id').offset(page * page_size).limit(page_size + 1).values(
        'created_at', 'what', 'user__username', 'user__full_name', 'complaint__code')
    entries = [AccessEntry(created_at=r['created_at'], username=r['user__username'],
                           full_name=r['user__full_name'] or '', complaint_code=r['complaint__code'],
                           what=r['what']) for r in rows[:page_size]]
    return AccessPage(entries=entries, page=page, has_next=len(rows) > page_size)


# --- Shared ---

def _check_code(code: str, errors: dict[str, str]) -> str:
    code = (code or '').strip().upper()
    if not code:
        errors['code'] = 'Isi kode.'
    elif not _CODE.match(code):
        errors['code'] = 'Kode 2–32 karakter: huruf besar, angka atau garis bawah, tanpa spasi.'
    return code


async def _get(model: type[ModelT], object_id: int | None, message: str) -> ModelT:
    found = await model.get_or_none(id=object_id) if object_id is not None else None
    if found is None:
        raise NotFound(message)
    return found

