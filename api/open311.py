"""Open311 GeoReport v2 over the same services as the pages (JSON only).

Nothing a partner or a stranger sends makes a 500: bodies are bounded and read as a stream after the
key (when given outside the body) is checked, text must be valid UTF-8 without NUL characters (SQLite
would store them, PostgreSQL refuses them), and dates out of range are a 400 like any bad date.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from models import OPEN_STATUSES, ApiKey
from services import apikeys, app_settings, attachments, complaints
from services.clock import LOCAL_ZONE
from services.complaints import Channel, ClockKind, Privacy, PublicSummary, Status
from services.complaints_labels import STATUS_LABELS
from services.errors import RateLimited, ValidationFailed
from services.ratelimit import wait_text
from services.settings import settings

router = APIRouter(prefix='/open311/v2')

# A complaint is text: 5,000 characters of description and a few short fields (measured: a full form
# with every field at its maximum is under 12 KB as JSON). Photos come by URL, never in the body
MAX_BODY = 64 * 1024
MAX_LISTED_VALUES = 200  # codes or service codes in one list query (SQLite binds at most 32,766 values)
MAX_IDEMPOTENCY_KEY = 200

OPEN = [s for s in Status if s in OPEN_STATUSES]
CLOSED = [s for s in Status if s not in OPEN_STATUSES]

# Open311 field names for the service's own
_FIELDS = {'category': 'service_code', 'description': 'description', 'reporter_phone': 'phone',
           'reporter_email': 'email', 'reporter_name': 'first_name', 'location': 'lat', 'privacy': 'privacy',
           'title': 'title', 'district': 'address_string', 'consent': 'consent', 'photos': 'media_url'}


def _error(status: int, *descriptions: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse([{'code': status, 'description': d} for d in descriptions], status_code=status,
                        headers=headers)


class _Refused(Exception):
    """An answer decided while reading the request (a bad key, a body too large or unreadable)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.response = _error(status, description)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec='seconds').replace('+00:00', 'Z') if moment else None


def _request_json(item: PublicSummary) -> dict[str, Any]:
    closed = item.status not in OPEN
    return {
        'service_request_id': item.code,
        'status': 'closed' if closed else 'open',
        'status_notes': STATUS_LABELS[item.status],
        'service_name': item.category_name,
        'service_code': item.category_code,
        'description': item.description,
        'agency_responsible': item.agency_name,
        'service_notice': None,
        'requested_datetime': _iso(item.reported_at),
        'updated_datetime': _iso(item.updated_at),
        'expected_datetime': _iso(item.resolution_due),
        'address': item.place,
        'address_id': None,
        'zipcode': None,
        'lat': item.latitude,
        'long': item.longitude,
        'media_url': f'{settings.public_url.rstrip("/")}{attachments.signed_url(item.photo)}' if item.photo else None,
    }


@router.get('/services.json')
async def services() -> list[dict[str, Any]]:
    return [{'service_code': code, 'service_name': name, 'description': description, 'metadata': False,
             'type': 'realtime', 'keywords': '', 'group': agency or 'Diskominfo (verifikasi)'}
            for code, name, description, agency in await complaints.categories_for_api()]


@router.post('/requests.json')
async def post_request(request: Request) -> JSONResponse:
    try:
        key, fields = await _key_and_fields(request)
        idempotency_key = _idempotency_key(request, key.id)
    except _Refused as refused:
        return refused.response
    code = (fields.get('service_code') or '').strip()
    category_id = await complaints.category_id(code) if code else None
    if category_id is None:
        return _error(400, f'service_code "{code}" tidak dikenal.' if code else 'service_code wajib diisi.')
    try:
        latitude, longitude, address = _location(fields)
    except ValueError as error:
        return _error(400, str(error))
    name = ' '.join(p for p in (fields.get('first_name'), fields.get('last_name')) if p and p.strip()) or None
    try:
        result = await complaints.submit(
            category_id=category_id, description=fields.get('description') or '', title=fields.get('title'),
            address=address, latitude=latitude, longitude=longitude, reporter_name=name,
            reporter_phone=fields.get('phone'), reporter_email=fields.get('email'),
            privacy=fields.get('privacy') or Privacy.ANONIM, channel=Channel.API, source=key.name,
            notify_reporter=_yes(fields.get('notify')), idempotency_key=idempotency_key)
    except ValidationFailed as error:  # every wrong field at once, so a partner fixes them in one round
        return _error(400, *(f'{_FIELDS.get(field, field)}: {message}' for field, message in error.errors.items()))
    except RateLimited as error:
        return _error(429, error.message, headers={'Retry-After': str(error.retry_after)})
    clock = result.view.clock(ClockKind.FIRST_RESPONSE)
    notice = (f'Aduan diterima dengan kode {result.code}. Respons awal paling lambat {_iso(clock.due_at)}.'
              if clock else f'Aduan diterima dengan kode {result.code}.')
    return JSONResponse([{'service_request_id': result.code, 'service_notice': notice, 'account_id': None,
                          'token': None}])


def _yes(value: str | None) -> bool:
    """An optional yes/no field as partners send it ('true', '1', 'yes', 'ya')."""
    return (value or '').strip().lower() in {'true', '1', 'yes', 'ya', 'on'}


async def _key_and_fields(request: Request) -> tuple[ApiKey, dict[str, str]]:
    """The partner's key and the posted fields; _Refused with the answer otherwise.

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
    fields = _readable(await _fields(request, await _body(request), content_type))
    if key is None:
        key = await _verified(fields.get('api_key'))
    return key, fields


def _key_outside_body(request: Request) -> str | None:
    for value in (request.query_params.get('api_key'), request.headers.get('x-api-key'),
                  request.headers.get('api_key')):
        if value is not None and value.strip():
            return value
    return None


async def _verified(raw: str | None) -> ApiKey:
    key = await apikeys.verify(raw)
    if key is None:
        raise _Refused(401, 'api_key tidak ada atau tidak valid.')
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


async def _fields(request: Request, body: bytes, content_type: str) -> dict[str, str]:
    unreadable = _Refused(400, 'Badan permintaan tidak dapat dibaca (gunakan form-encoded atau JSON).')
    if 'json' in content_type:
        try:
            # the body is at most MAX_BODY, so its nesting is too; a deeper one than Python parses is a 400
            data = json.loads(body or b'{}')
        except (ValueError, RecursionError):  # ValueError covers bad JSON and bytes that are not UTF-8
            raise unreadable from None
        if not isinstance(data, dict):
            raise unreadable
        nested = sorted(name for name, value in data.items() if isinstance(value, dict | list))
        if nested:
            raise _Refused(400, f'{nested[0]}: harus berupa teks atau angka, bukan daftar atau objek.')
        return {name: str(value) for name, value in data.items() if value is not None}

    async def replay() -> dict[str, Any]:  # the body already read, handed to Starlette's form parser
        return {'type': 'http.request', 'body': body, 'more_body': False}

    try:
        form = await Request(request.scope, replay).form(max_files=0, max_fields=100)
    except (ValueError, UnicodeError, HTTPException):  # HTTPException: a malformed multipart body
        raise unreadable from None
    return {name: value for name, value in form.items() if isinstance(value, str)}


def _readable(fields: dict[str, str]) -> dict[str, str]:
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


@router.get('/requests/{name}')
async def get_request(request: Request, name: str) -> JSONResponse:
    """One request by its code. Without a partner's key an unknown code counts against the address's failed
    lookups, as on the tracking page; a partner with a key polling many codes at once is not counted (every
    uncounted lookup is in flight until it is found, so a burst of polls would otherwise hit the limit)."""
    code = name.removesuffix('.json')
    item = complaints.cached_summary(code)  # a poller's repeated GET: no key check, no count, no database
    if item is not None:
        return JSONResponse([_request_json(item)])
    given = _key_outside_body(request)
    try:
        trusted = given is not None and bool(await _verified(given))
        item = await complaints.public_summary(code, client_address=None if trusted else _address(request))
    except _Refused as refused:
        return refused.response
    except RateLimited as error:
        return _error(429, f'Terlalu banyak kode yang tidak ditemukan dari alamat ini. Silakan coba lagi dalam '
                           f'{wait_text(error.retry_after)}.', headers={'Retry-After': str(error.retry_after)})
    if item is None:
        return _error(404, f'service_request_id "{_shown(code)[:40]}" tidak ditemukan.')
    return JSONResponse([_request_json(item)])


def _address(request: Request) -> str:
    return request.client.host if request.client else 'unknown'


@router.get('/requests.json')
async def list_requests(request: Request) -> JSONResponse:
    """The newest complaints matching the filters: with a partner's key, or by anyone while a supervisor keeps
    the public list on. A rahasia complaint is never listed."""
    given = _key_outside_body(request)
    try:
        if given is not None:
            await _verified(given)  # a wrong key is told so even while the list is public
        elif not await app_settings.open311_list_is_public():
            raise _Refused(401, 'api_key diperlukan untuk daftar aduan. Ambil satu aduan dengan '
                                'requests/<service_request_id>.json.')
        params = _readable({name: request.query_params.get(name, '') for name in (
            'service_request_id', 'service_code', 'status', 'start_date', 'end_date')})
    except _Refused as refused:
        return refused.response
    try:
        start = _parse_date(params['start_date'], 'start_date')
        end = _parse_date(params['end_date'], 'end_date')
    except ValueError as error:
        return _error(400, str(error))
    if start and end and end < start:
        return _error(400, 'end_date tidak boleh sebelum start_date.')
    statuses: list[Status] = []
    for value in filter(None, (s.strip() for s in params['status'].split(','))):
        if value not in ('open', 'closed'):
            return _error(400, 'status harus "open" atau "closed".')
        statuses += OPEN if value == 'open' else CLOSED
    codes = [c for c in params['service_request_id'].split(',') if c.strip()]
    category_codes = [c for c in params['service_code'].split(',') if c.strip()]
    for name, values in (('service_request_id', codes), ('service_code', category_codes)):
        if len(values) > MAX_LISTED_VALUES:
            return _error(400, f'{name}: paling banyak {MAX_LISTED_VALUES} nilai dalam satu permintaan.')
    items = await complaints.public_list(codes=codes, category_codes=category_codes, statuses=statuses,
                                         start=start, end=end)
    return JSONResponse([_request_json(item) for item in items])


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
