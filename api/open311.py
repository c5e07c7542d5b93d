"""Open311 GeoReport v2 over the same services as the pages, in XML and JSON (issue 12 §4).

Every resource answers as ``<name>.xml`` and ``<name>.json`` (api/open311_format.py): the discovery document,
the services and each service's definition, the requests (list, one, post) and FixMyStreet's
``servicerequestupdates``. Every error, the routing 404 and 405 under the prefix included, is the spec's array
of ``{code, description}``. A missing or wrong ``api_key`` is a 403, an unknown ``service_code`` a 404.

Nothing a partner or a stranger sends makes a 500: bodies are bounded and read as a stream after the
key (when given outside the body) is checked, text must be valid UTF-8 without NUL characters (SQLite
would store them, PostgreSQL refuses them), and dates out of range are a 400 like any bad date. Each key's
requests are counted against its limit before the work; a browser app may call only from an origin a
supervisor allowed, and a POST carrying any other ``Origin`` is refused before its body is read.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Coroutine, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Match

from models import OPEN_STATUSES, ApiKey
from services import apikeys, app_settings, attachments, clock, complaints, open311_attributes
from services import open311 as open311_service
from services.clock import LOCAL_ZONE
from services.complaints import ClockKind, Privacy, PublicSummary, Status
from services.complaints_labels import STATUS_LABELS
from services.errors import RateLimited, ValidationFailed
from services.ratelimit import wait_text
from services.settings import settings

from .open311_format import errors, format_of, respond, split_name

PREFIX = '/open311/v2'

# A complaint is text: 5,000 characters of description and a few short fields (measured: a full form
# with every field at its maximum is under 12 KB as JSON). Photos come by URL, never in the body
MAX_BODY = 64 * 1024
MAX_LISTED_VALUES = 200  # codes or service codes in one list query (SQLite binds at most 32,766 values)
MAX_IDEMPOTENCY_KEY = 200
MAX_ATTRIBUTES = 50  # attribute[code] answers in one POST
MAX_SERVICE_CODE = 32  # Category.code's column
WINDOW = timedelta(days=90)  # the spec's default and longest span of a list query
MAX_PAGE_SIZE = 1000  # the spec's cap on one answer
MAX_PAGE = 10_000
CHANGESET = '2026-11-30T00:00:00Z'  # when this API last changed (the discovery document's changeset)
SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2'

OPEN = [s for s in Status if s in OPEN_STATUSES]
CLOSED = [s for s in Status if s not in OPEN_STATUSES]

# Open311 field names for the service's own
_FIELDS = {'category': 'service_code', 'description': 'description', 'reporter_phone': 'phone',
           'reporter_email': 'email', 'reporter_name': 'first_name', 'location': 'lat', 'privacy': 'privacy',
           'title': 'title', 'district': 'address_string', 'consent': 'consent', 'photos': 'media_url'}
_ATTRIBUTE = re.compile(r'^attribute\[([^\[\]]{1,50})\](\[\])?$')
_ALLOWED_HEADERS = 'Content-Type, X-Api-Key, Idempotency-Key'


class _Refused(Exception):
    """An answer decided while reading the request (a bad key, a body too large or unreadable)."""

    def __init__(self, status: int, description: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.headers = status, description, headers

    def answer(self, fmt: str) -> Response:
        return errors(fmt, self.status, self.description, headers=self.headers)


class _Open311Route(APIRoute):
    """Every route's answer gets the CORS headers for an allowed origin; a request that could change something
    (any method but GET and HEAD) from a browser origin not allowed is refused with 403 before the handler."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            origin = request.headers.get('origin')
            allowed = origin is not None and await _origin_allowed(request, origin)
            if origin is not None and not allowed and request.method not in ('GET', 'HEAD'):
                # a browser's form POST is a "simple request" with no preflight: the server itself refuses it
                return errors(format_of(request.scope['path']), 403,
                              'Asal (Origin) ini tidak diizinkan memanggil API. Minta supervisor menambahkannya di '
                              'Pengaturan › Open311.')
            response = await handler(request)
            response.headers['Vary'] = 'Origin'
            if allowed and origin is not None:
                response.headers['Access-Control-Allow-Origin'] = origin
                response.headers['Access-Control-Expose-Headers'] = 'Retry-After, Link'
            return response

        return guarded


# Under /open311 (all of it reaches this app: api/edge.py), so an unknown path anywhere there is the spec's 404
router = APIRouter(prefix='/open311', route_class=_Open311Route)


async def _origin_allowed(request: Request, origin: str) -> bool:
    own = {f'{request.scope.get("scheme", "http")}://{request.headers.get("host", "")}'}
    public = urlsplit(settings.public_url)
    own.add(f'{public.scheme}://{public.netloc}')
    return origin.rstrip('/') in own or await open311_service.origin_allowed(origin)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec='seconds').replace('+00:00', 'Z') if moment else None


def _base() -> str:
    return settings.public_url.rstrip('/')


def _request_item(item: PublicSummary, key: ApiKey | None = None) -> dict[str, Any]:
    closed = item.status not in OPEN
    photo = f'{_base()}{attachments.signed_url(item.photo)}' if item.photo else None
    answer = {
        'service_request_id': item.code,
        'status': 'closed' if closed else 'open',
        'status_notes': item.notes or STATUS_LABELS[item.status],
        'service_name': item.category_name,
        'service_code': item.category_code,
        'description': item.description,
        'agency_responsible': item.agency_name,
        'service_notice': None,
        'requested_datetime': _iso(item.reported_at),
        'updated_datetime': _iso(item.updated_at),
        'expected_datetime': _iso(item.resolution_due),
        'address': item.place,
        'address_string': item.address_string,
        'address_id': None,
        'zipcode': None,
        'lat': item.latitude,
        'long': item.longitude,
        'media_url': item.media_url or photo,
    }
    if key is not None and item.source == key.name:  # the partner that posted it sees what it posted
        answer.update(account_id=item.account_id, device_id=item.device_id)
    return answer


def _requests(fmt: str, items: list[dict[str, Any]], **kwargs: Any) -> Response:
    return respond(fmt, 'service_requests', 'request', items, **kwargs)


def _format(fmt: str) -> str | None:
    return fmt.lower() if fmt.lower() in ('json', 'xml') else None


def _not_found(request: Request) -> Response:
    path = request.scope['path']
    return errors(format_of(path), 404, f'Alamat {_shown(path)[:120]} tidak ada di API ini.')


# --- Discovery and services ---

@router.get('/v2/discovery.{fmt}')
async def discovery(request: Request, fmt: str) -> Response:
    if not (fmt := _format(fmt) or ''):
        return _not_found(request)
    return respond(fmt, 'discovery', None, {
        'changeset': CHANGESET,
        'contact': f'{settings.app_name}, {settings.region_name}: {_base()}/',
        'key_service': 'Kunci API diberikan oleh supervisor Lapor (Diskominfo) di Pengaturan › Kunci API.',
        'endpoints': [{'specification': SPECIFICATION, 'url': f'{_base()}{PREFIX}', 'changeset': CHANGESET,
                       'type': 'production', 'formats': ['text/xml', 'application/json']}],
    })


@router.get('/v2/services.{fmt}')
async def services(request: Request, fmt: str) -> Response:
    if not (fmt := _format(fmt) or ''):
        return _not_found(request)
    asking = await open311_attributes.categories_with_attributes()
    return respond(fmt, 'services', 'service', [
        {'service_code': code, 'service_name': name, 'description': description, 'metadata': code in asking,
         'type': 'realtime', 'keywords': '', 'group': agency or 'Diskominfo (verifikasi)'}
        for code, name, description, agency in await complaints.categories_for_api()])


@router.get('/v2/services/{name}')
async def service_definition(request: Request, name: str) -> Response:
    code, fmt = split_name(name)
    fmt = fmt or 'json'
    if await _category_id(code) is None:
        return errors(fmt, 404, f'service_code "{_shown(code)[:40]}" tidak dikenal.')
    attributes = await open311_attributes.for_category(code)
    return respond(fmt, 'service_definition', None,
                   {'service_code': code, 'attributes': [a.as_open311() for a in attributes]})


# --- POST requests ---

@router.post('/v2/requests.{fmt}')
async def post_request(request: Request, fmt: str) -> Response:  # noqa: PLR0911
    if not (fmt := _format(fmt) or ''):
        return _not_found(request)
    try:
        key, fields, answers = await _key_and_fields(request)
        idempotency_key = _idempotency_key(request, key.id)
    except _Refused as refused:
        return refused.answer(fmt)
    code = (fields.get('service_code') or '').strip()
    if not code:
        return errors(fmt, 400, 'service_code wajib diisi.')
    category_id = await _category_id(code)
    if category_id is None:
        return errors(fmt, 404, f'service_code "{_shown(code)[:40]}" tidak dikenal.')
    try:
        latitude, longitude, address = _location(fields)
    except ValueError as error:
        return errors(fmt, 400, str(error))
    extras, problems = open311_service.check_extras(
        media_url=fields.get('media_url'), device_id=fields.get('device_id'), account_id=fields.get('account_id'))
    attributes, attribute_problems = open311_attributes.check_answers(
        await open311_attributes.for_category(category_id), answers)
    problems.update(attribute_problems)
    if problems:
        return errors(fmt, 400, *(f'{field}: {message}' for field, message in problems.items()))
    name = ' '.join(p for p in (fields.get('first_name'), fields.get('last_name')) if p and p.strip()) or None
    try:
        result = await complaints.submit(
            category_id=category_id, description=fields.get('description') or '', title=fields.get('title'),
            address=address, latitude=latitude, longitude=longitude, reporter_name=name,
            reporter_phone=fields.get('phone'), reporter_email=fields.get('email'),
            privacy=fields.get('privacy') or Privacy.ANONIM, channel=key.channel, source=key.name,
            notify_reporter=_yes(fields.get('notify')), idempotency_key=idempotency_key,
            media_url=extras['media_url'], device_id=extras['device_id'], account_id=extras['account_id'],
            attributes=attributes)
    except ValidationFailed as error:  # every wrong field at once, so a partner fixes them in one round
        return errors(fmt, 400, *(f'{_FIELDS.get(field, field)}: {message}' for field, message in error.errors.items()))
    except RateLimited as error:
        return errors(fmt, 429, error.message, headers={'Retry-After': str(error.retry_after)})
    first = result.view.clock(ClockKind.FIRST_RESPONSE)
    notice = (f'Aduan diterima dengan kode {result.code}. Respons awal paling lambat {_iso(first.due_at)}.'
              if first else f'Aduan diterima dengan kode {result.code}.')
    return _requests(fmt, [{'service_request_id': result.code, 'service_notice': notice,
                            'account_id': extras['account_id']}])


async def _category_id(code: str) -> int | None:
    """The active category's id by its service_code; None for an unknown one, or one no category could have
    (longer than the column, not text), which is never looked up."""
    if len(code) > MAX_SERVICE_CODE or not _is_text(code):
        return None
    return await complaints.category_id(code)


def _yes(value: str | None) -> bool:
    """An optional yes/no field as partners send it ('true', '1', 'yes', 'ya')."""
    return (value or '').strip().lower() in {'true', '1', 'yes', 'ya', 'on'}


async def _key_and_fields(request: Request) -> tuple[ApiKey, dict[str, str], dict[str, list[str]]]:
    """The partner's key, the posted fields and the ``attribute[code]`` answers; _Refused with the answer
    otherwise.

    A key sent in the query string or a header is checked before a byte of the body is read, and the
    declared length before reading too: a stranger's 400 MB upload is refused at once, not buffered.
    """
    given = _key_outside_body(request)
    key = await _verified(given) if given is not None else None
    content_type = request.headers.get('content-type', '').lower()
    if 'json' not in content_type and not content_type.startswith(('application/x-www-form-urlencoded',
                                                                    'multipart/form-data')):
        # Starlette reads any other body as an empty form, and the partner would hear "no api_key"
        raise _Refused(400, 'Badan permintaan tidak dapat dibaca (gunakan form-encoded atau JSON).')
    fields, answers = await _fields(request, await _body(request), content_type)
    _readable(fields)
    for code, values in answers.items():
        for value in values:
            _readable({f'attribute[{code}]': value})
    if key is None:
        key = await _verified(fields.get('api_key'))
    return key, fields, answers


def _key_outside_body(request: Request) -> str | None:
    for value in (request.query_params.get('api_key'), request.headers.get('x-api-key'),
                  request.headers.get('api_key')):
        if value is not None and value.strip():
            return value
    return None


async def _verified(raw: str | None) -> ApiKey:
    """The active key behind ``raw``, its request counted against its limit before any other work; _Refused
    with 403 (no such key) or 429 (past its limit) otherwise."""
    key = await apikeys.verify(raw)
    if key is None:
        raise _Refused(403, 'api_key tidak ada atau tidak valid.')
    try:
        open311_service.count_key_request(key.key_hash, key.requests_per_minute)
    except RateLimited as error:
        raise _Refused(429, error.message, headers={'Retry-After': str(error.retry_after)}) from None
    return key


async def _body(request: Request) -> bytes:
    """The body, refused with 413 when it is declared or turns out larger than MAX_BODY (read as it streams)."""
    too_large = f'Badan permintaan terlalu besar (maksimal {MAX_BODY // 1024} KB). Kirim foto sebagai media_url.'
    declared = request.headers.get('content-length', '')
    if declared.strip().isdigit() and int(declared) > MAX_BODY:
        raise _Refused(413, too_large)
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                raise _Refused(413, too_large)
    except ClientDisconnect:
        raise _Refused(400, 'Badan permintaan terputus sebelum selesai.') from None
    return bytes(body)


async def _fields(request: Request, body: bytes, content_type: str,  # noqa: PLR0912
                  ) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The posted fields and the answers to the category's questions (``attribute[code]``, repeated as
    ``attribute[code][]`` for several values; in JSON also an ``attribute`` object)."""
    unreadable = _Refused(400, 'Badan permintaan tidak dapat dibaca (gunakan form-encoded atau JSON).')
    answers: dict[str, list[str]] = {}
    fields: dict[str, str] = {}
    if 'json' in content_type:
        try:
            # the body is at most MAX_BODY, so its nesting is too; a deeper one than Python parses is a 400
            data = json.loads(body or b'{}')
        except (ValueError, RecursionError):  # ValueError covers bad JSON and bytes that are not UTF-8
            raise unreadable from None
        if not isinstance(data, dict):
            raise unreadable
        posted = data.pop('attribute', None)
        if posted is not None and not isinstance(posted, dict):
            raise _Refused(400, 'attribute: harus berupa objek {kode: jawaban}.')
        for code, value in (posted or {}).items():
            data[f'attribute[{code}]'] = value
        for name, value in data.items():
            match = _ATTRIBUTE.match(name) if isinstance(name, str) else None
            if match and isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
                answers.setdefault(match.group(1), []).extend(str(v) for v in value)
            elif isinstance(value, dict | list):
                raise _Refused(400, f'{_shown(name)[:60]}: harus berupa teks atau angka, bukan daftar atau objek.')
            elif value is not None and match:
                answers.setdefault(match.group(1), []).append(str(value))
            elif value is not None:
                fields[name] = str(value)
    else:
        async def replay() -> dict[str, Any]:  # the body already read, handed to Starlette's form parser
            return {'type': 'http.request', 'body': body, 'more_body': False}

        try:
            form = await Request(request.scope, replay).form(max_files=0, max_fields=100)
        except (ValueError, UnicodeError, HTTPException):  # HTTPException: a malformed multipart body
            raise unreadable from None
        for name, value in form.multi_items():
            if not isinstance(value, str):
                continue
            match = _ATTRIBUTE.match(name)
            if match:
                answers.setdefault(match.group(1), []).append(value)
            else:
                fields[name] = value
    if sum(len(values) for values in answers.values()) > MAX_ATTRIBUTES:
        raise _Refused(400, f'attribute: paling banyak {MAX_ATTRIBUTES} jawaban.')
    return fields, answers


def _readable(fields: Mapping[str, str]) -> Mapping[str, str]:
    """``fields`` if every name and value is text the database can store; else _Refused (400)."""
    for name, value in fields.items():
        if not (_is_text(name) and _is_text(value)):
            raise _Refused(400, f'{_shown(name)}: berisi karakter yang tidak sah (bukan UTF-8 atau NUL).')
    return fields


def _is_text(value: str) -> bool:
    try:
        value.encode('utf-8')  # a lone surrogate ("\ud800" in JSON) cannot be encoded, stored or hashed
    except UnicodeEncodeError:
        return False
    return '\x00' not in value


def _shown(name: str) -> str:
    return name.encode('utf-8', 'replace').decode('utf-8')[:60]


def _idempotency_key(request: Request, key_id: int) -> str | None:
    """The ``Idempotency-Key`` header scoped to the partner's key (one partner cannot replay another's), hashed
    to fit the column; None when absent."""
    header = (request.headers.get('idempotency-key') or '').strip()
    if not header:
        return None
    if len(header) > MAX_IDEMPOTENCY_KEY:
        raise _Refused(400, f'Idempotency-Key terlalu panjang (maksimal {MAX_IDEMPOTENCY_KEY} karakter).')
    return f'api:{key_id}:{hashlib.sha256(header.encode("utf-8", "surrogateescape")).hexdigest()[:40]}'


def _location(fields: dict[str, str]) -> tuple[float | None, float | None, str | None]:
    """lat, long and address_string as typed; ValueError (with the message) when there is no location."""
    try:
        latitude = float(fields['lat']) if fields.get('lat', '').strip() else None
        longitude = float(fields['long']) if fields.get('long', '').strip() else None
    except ValueError:
        raise ValueError('lat dan long harus berupa angka.') from None
    address = (fields.get('address_string') or '').strip() or None
    if (latitude is None or longitude is None) and address is None:
        raise ValueError('Lokasi wajib diisi: lat dan long, atau address_string.')
    return latitude, longitude, address


# --- GET requests ---

@router.get('/v2/requests/{name}')
async def get_request(request: Request, name: str) -> Response:
    """One request by its code. Without a partner's key an unknown code counts against the address's failed
    lookups, as on the tracking page; a partner with a key polling many codes at once is not counted (every
    uncounted lookup is in flight until it is found, so a burst of polls would otherwise hit the limit)."""
    code, fmt = split_name(name)
    fmt = fmt or 'json'
    given = _key_outside_body(request)
    try:
        key = await _verified(given) if given is not None else None
    except _Refused as refused:
        return refused.answer(fmt)
    item = complaints.cached_summary(code)  # a poller's repeated GET: no count, no database
    if item is None:
        try:
            item = await complaints.public_summary(code, client_address=None if key else _address(request))
        except RateLimited as error:
            return errors(fmt, 429, f'Terlalu banyak kode yang tidak ditemukan dari alamat ini. Silakan coba lagi '
                                    f'dalam {wait_text(error.retry_after)}.',
                          headers={'Retry-After': str(error.retry_after)})
    if item is None:
        return errors(fmt, 404, f'service_request_id "{_shown(code)[:40]}" tidak ditemukan.')
    return _requests(fmt, [_request_item(item, key)])


def _address(request: Request) -> str:
    return request.client.host if request.client else 'unknown'


async def _reader(request: Request) -> ApiKey | None:
    """The partner's key for a list (None while a supervisor keeps the lists public); _Refused otherwise."""
    given = _key_outside_body(request)
    if given is not None:
        return await _verified(given)  # a wrong key is told so even while the list is public
    if not await app_settings.open311_list_is_public():
        raise _Refused(403, 'api_key diperlukan untuk daftar aduan. Ambil satu aduan dengan '
                            'requests/<service_request_id>.json.')
    return None


@router.get('/v2/requests.{fmt}')
async def list_requests(request: Request, fmt: str) -> Response:  # noqa: PLR0911
    """The newest complaints matching the filters: with a partner's key, or by anyone while a supervisor keeps
    the public list on. A rahasia complaint is never listed. ``service_request_id`` overrides every other
    filter; otherwise the window is the spec's 90 days (the latest 90 days by default, never more), and
    ``page`` and ``page_size`` (FixMyStreet's extension) read past the 1,000 of one answer."""
    if not (fmt := _format(fmt) or ''):
        return _not_found(request)
    try:
        key = await _reader(request)
        params = _readable({name: request.query_params.get(name, '') for name in (
            'service_request_id', 'service_code', 'status', 'start_date', 'end_date', 'page', 'page_size')})
        page, page_size = _paging(params)
    except _Refused as refused:
        return refused.answer(fmt)
    codes = [c for c in params['service_request_id'].split(',') if c.strip()]
    category_codes = [c for c in params['service_code'].split(',') if c.strip()]
    for name, values in (('service_request_id', codes), ('service_code', category_codes)):
        if len(values) > MAX_LISTED_VALUES:
            return errors(fmt, 400, f'{name}: paling banyak {MAX_LISTED_VALUES} nilai dalam satu permintaan.')
    if codes:  # the spec: service_request_id overrides all other arguments
        items = await complaints.public_list(codes=codes, limit=MAX_PAGE_SIZE)
        return _requests(fmt, [_request_item(item, key) for item in items])
    try:
        start, end = _window(params)
    except ValueError as error:
        return errors(fmt, 400, str(error))
    statuses: list[Status] = []
    for value in filter(None, (s.strip() for s in params['status'].split(','))):
        if value not in ('open', 'closed'):
            return errors(fmt, 400, 'status harus "open" atau "closed".')
        statuses += OPEN if value == 'open' else CLOSED
    items = await complaints.public_list(category_codes=category_codes, statuses=statuses, start=start, end=end,
                                         limit=page_size + 1, offset=(page - 1) * page_size)
    return _requests(fmt, [_request_item(item, key) for item in items[:page_size]],
                     headers=_next_link(request, page) if len(items) > page_size else None)


def _paging(params: Mapping[str, str]) -> tuple[int, int]:
    """``page`` (from 1) and ``page_size`` (at most 1,000, the default); _Refused (400) when not whole numbers
    in range."""
    values = []
    for name, default, most in (('page', 1, MAX_PAGE), ('page_size', MAX_PAGE_SIZE, MAX_PAGE_SIZE)):
        text = params[name].strip()
        if not text:
            values.append(default)
            continue
        if not (text.isascii() and text.isdigit() and len(text) <= 6 and 1 <= int(text) <= most):
            raise _Refused(400, f'{name} harus bilangan bulat 1 sampai {most}.')
        values.append(int(text))
    return values[0], values[1]


def _next_link(request: Request, page: int) -> dict[str, str]:
    """A ``Link`` header to the next page (RFC 8288), so a poller can read everything."""
    query = [(name, value) for name, value in request.query_params.multi_items() if name not in ('page', 'api_key')]
    path = request.scope['path']
    url = f'{_base()}{path}?{urlencode([*query, ("page", str(page + 1))])}'
    return {'Link': f'<{url}>; rel="next"'}


def _window(params: Mapping[str, str]) -> tuple[datetime, datetime]:
    """The spec's window: ``start_date`` to ``end_date``, at most 90 days; one of them alone reaches 90 days
    from it; neither: the latest 90 days. ValueError with the message otherwise."""
    start = _parse_date(params['start_date'], 'start_date')
    end = _parse_date(params['end_date'], 'end_date')
    try:
        if start is None and end is None:
            end = clock.now()
            start = end - WINDOW
        elif start is None:
            assert end is not None
            start = end - WINDOW
        elif end is None:
            end = start + WINDOW
    except OverflowError:  # 90 days past 9999 or before year 1: the window reaches the end of what dates hold
        start = start or datetime.min.replace(tzinfo=UTC)
        end = end or datetime.max.replace(tzinfo=UTC)
    if end < start:
        raise ValueError('end_date tidak boleh sebelum start_date.')
    if end - start > WINDOW:
        raise ValueError('Rentang start_date sampai end_date paling lama 90 hari. Bagi permintaan per 90 hari.')
    return start, end


def _parse_date(text: str, name: str) -> datetime | None:
    if not text:
        return None
    wrong = f'{name} harus berformat ISO 8601, misalnya 2026-11-28T00:00:00+07:00.'
    try:
        moment = datetime.fromisoformat(text.replace('Z', '+00:00'))
        # no zone given: a partner here means WIB. In UTC after that, because SQLite compares the stored text
        # and tortoise passes an aware value through with its own offset (+07:00 would sort wrongly)
        return (moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_ZONE)).astimezone(UTC)
    except ValueError:
        raise ValueError(wrong) from None
    except OverflowError:  # 0001-01-01 in WIB, or 9999-12-31 west of UTC, falls outside what a datetime holds
        raise ValueError(f'{name} di luar rentang tanggal yang dapat diproses.') from None


# --- FixMyStreet's servicerequestupdates ---

@router.get('/v2/servicerequestupdates.{fmt}')
async def request_updates(request: Request, fmt: str) -> Response:
    """Every public step of every listed complaint in the window (the same 90-day rule and paging as the list),
    oldest first: a partner follows updates without polling each request. Needs a key unless the list is
    public; a rahasia complaint's steps are never listed."""
    if not (fmt := _format(fmt) or ''):
        return _not_found(request)
    try:
        await _reader(request)
        params = _readable({name: request.query_params.get(name, '') for name in (
            'start_date', 'end_date', 'page', 'page_size')})
        page, page_size = _paging(params)
        start, end = _window(params)
    except _Refused as refused:
        return refused.answer(fmt)
    except ValueError as error:
        return errors(fmt, 400, str(error))
    rows = await open311_service.updates(start=start, end=end, limit=page_size + 1, offset=(page - 1) * page_size)
    items = [{'update_id': row.update_id, 'service_request_id': row.code,
              'status': 'open' if row.status in OPEN_STATUSES else 'closed', 'updated_datetime': _iso(row.updated_at),
              'description': row.description, 'media_url': None} for row in rows[:page_size]]
    return respond(fmt, 'service_request_updates', 'request_update', items,
                   headers=_next_link(request, page) if len(rows) > page_size else None)


# --- Everything else under the prefix: the spec's errors, and CORS preflights ---

_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']


@router.api_route('/{rest:path}', methods=_METHODS, include_in_schema=False)
async def elsewhere(request: Request, rest: str) -> Response:
    """A preflight (OPTIONS) for a resource that exists: the methods and headers an allowed origin may use
    (a disallowed one was refused by the route class). Else 405 with ``Allow`` when the path exists for
    other methods, 404 when it does not, both as the spec's array."""
    allowed = sorted({method for route in router.routes if isinstance(route, APIRoute) and route.endpoint
                      is not elsewhere and route.matches({**request.scope, 'method': 'GET'})[0] != Match.NONE
                      for method in route.methods or ()})
    if not allowed:
        return _not_found(request)
    if request.method == 'OPTIONS':
        return Response(status_code=204, headers={
            'Access-Control-Allow-Methods': ', '.join([*allowed, 'OPTIONS']),
            'Access-Control-Allow-Headers': _ALLOWED_HEADERS, 'Access-Control-Max-Age': '600',
            'Allow': ', '.join([*allowed, 'OPTIONS'])})
    return errors(format_of(request.scope['path']), 405, f'Metode {request.method} tidak tersedia di sini; gunakan '
                                                   f'{" atau ".join(allowed)}.', headers={'Allow': ', '.join(allowed)})
