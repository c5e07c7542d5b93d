"""Open311 GeoReport v2 over the same services as the pages (JSON only)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from models import OPEN_STATUSES
from services import apikeys, attachments, complaints
from services.clock import LOCAL_ZONE
from services.complaints import Channel, ClockKind, Privacy, PublicSummary, Status
from services.complaints_labels import STATUS_LABELS
from services.errors import RateLimited, ValidationFailed
from services.settings import settings

router = APIRouter(prefix='/open311/v2')

OPEN = [s for s in Status if s in OPEN_STATUSES]
CLOSED = [s for s in Status if s not in OPEN_STATUSES]

# Open311 field names for the service's own
_FIELDS = {'category': 'service_code', 'description': 'description', 'reporter_phone': 'phone',
           'reporter_email': 'email', 'reporter_name': 'first_name', 'location': 'lat', 'privacy': 'privacy',
           'title': 'title', 'district': 'address_string', 'consent': 'consent', 'photos': 'media_url'}


def _error(status: int, *descriptions: str) -> JSONResponse:
    return JSONResponse([{'code': status, 'description': d} for d in descriptions], status_code=status)


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
async def post_request(request: Request) -> JSONResponse:  # noqa: PLR0911  (one answer per refusal)
    fields = await _read_fields(request)
    if fields is None:
        return _error(400, 'Badan permintaan tidak dapat dibaca (gunakan form-encoded atau JSON).')
    key = await apikeys.verify(fields.get('api_key'))
    if key is None:
        return _error(401, 'api_key tidak ada atau tidak valid.')
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
            privacy=fields.get('privacy') or Privacy.ANONIM, channel=Channel.API, source=key.name)
    except ValidationFailed as error:  # every wrong field at once, so a partner fixes them in one round
        return _error(400, *(f'{_FIELDS.get(field, field)}: {message}' for field, message in error.errors.items()))
    except RateLimited as error:
        return _error(429, error.message)
    clock = result.view.clock(ClockKind.FIRST_RESPONSE)
    notice = (f'Aduan diterima dengan kode {result.code}. Respons awal paling lambat {_iso(clock.due_at)}.'
              if clock else f'Aduan diterima dengan kode {result.code}.')
    return JSONResponse([{'service_request_id': result.code, 'service_notice': notice, 'account_id': None,
                          'token': None}])


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


async def _read_fields(request: Request) -> dict[str, str] | None:
    content_type = request.headers.get('content-type', '').lower()
    try:
        if 'json' in content_type:
            data = json.loads(await request.body() or b'{}')
            if not isinstance(data, dict):
                return None
            return {k: str(v) for k, v in data.items() if v is not None}
        if not content_type.startswith(('application/x-www-form-urlencoded', 'multipart/form-data')):
            return None  # Starlette reads any other body as an empty form, and the partner would hear "no api_key"
        form = await request.form()
        return {k: v for k, v in form.items() if isinstance(v, str)}
    except (ValueError, UnicodeDecodeError, HTTPException):  # HTTPException: a malformed multipart body
        return None


@router.get('/requests/{name}')
async def get_request(name: str) -> JSONResponse:
    code = name.removesuffix('.json')
    item = await complaints.public_summary(code)
    if item is None:
        return _error(404, f'service_request_id "{code}" tidak ditemukan.')
    return JSONResponse([_request_json(item)])


@router.get('/requests.json')
async def list_requests(service_request_id: str = '', service_code: str = '', status: str = '',
                        start_date: str = '', end_date: str = '') -> JSONResponse:
    try:
        start = _parse_date(start_date, 'start_date')
        end = _parse_date(end_date, 'end_date')
    except ValueError as error:
        return _error(400, str(error))
    if start and end and end < start:
        return _error(400, 'end_date tidak boleh sebelum start_date.')
    statuses: list[Status] = []
    for value in filter(None, (s.strip() for s in status.split(','))):
        if value not in ('open', 'closed'):
            return _error(400, 'status harus "open" atau "closed".')
        statuses += OPEN if value == 'open' else CLOSED
    items = await complaints.public_list(
        codes=[c for c in service_request_id.split(',') if c.strip()],
        category_codes=[c for c in service_code.split(',') if c.strip()],
        statuses=statuses, start=start, end=end)
    return JSONResponse([_request_json(item) for item in items])


def _parse_date(text: str, name: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace('Z', '+00:00'))
    except ValueError:
        raise ValueError(f'{name} harus berformat ISO 8601, misalnya 2026-11-28T00:00:00+07:00.') from None
    # no zone given: a partner here means WIB. In UTC after that, because SQLite compares the stored text
    # and tortoise passes an aware value through with its own offset (+07:00 would sort wrongly)
    return (moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_ZONE)).astimezone(UTC)
