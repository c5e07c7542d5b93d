"""Small factories for tests: valid inputs by default, override what a test is about."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from models import Agency
from services import complaints


async def category_id(code: str = 'JALAN') -> int:
    found = await complaints.category_id(code)
    assert found is not None
    return found


async def agency_id(code: str) -> int:
    return next(i for i, c in await Agency.all().values_list('id', 'code') if c == code)


async def district_id(name: str = 'Kertek') -> int:
    return next(i for i, n in await complaints.districts() if n == name)


async def submit(**overrides: Any) -> complaints.Submitted:
    fields: dict[str, Any] = {
        'category_id': overrides['category_id'] if 'category_id' in overrides else await category_id(),
        'title': 'Jalan berlubang di depan SD',
        'description': 'Lubang besar di tengah jalan depan SD Kertek 2, sudah dua minggu, berbahaya bagi motor.',
        'district_id': await district_id(),
        'village': 'Kertek',
        'reporter_name': 'Siti Aminah',
        'reporter_phone': '0812-3456-7890',
        'consent': True,
    }
    fields.update(overrides)
    return await complaints.submit(**fields)


def image_bytes(fmt: str = 'JPEG', size: tuple[int, int] = (2400, 1800), exif_gps: bool = False) -> bytes:
    image = Image.new('RGB', size, (200, 120, 40))
    out = io.BytesIO()
    kwargs: dict[str, Any] = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = 'PhoneMaker'  # Make
        exif[0x8825] = {1: 'S', 2: (7.0, 21.0, 36.0), 3: 'E', 4: (109.0, 54.0, 10.0)}  # GPS IFD
        kwargs['exif'] = exif
    image.save(out, fmt, **kwargs)
    return out.getvalue()


async def eventually(predicate, timeout: float = 3.0) -> None:
    """Wait until ``predicate()`` is true (an event handler runs as a task after a click)."""
    import asyncio  # noqa: PLC0415

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError('condition not met in time')
        await asyncio.sleep(0.02)
