"""Photos: checked, re-encoded without metadata, stored by content hash, served by signed URL.

Nothing the client sent is kept as it came: every image is decoded and encoded anew as JPEG,
which drops EXIF (GPS included) and anything hidden in the file, and its name on disk is the
hash of the new bytes, never a name the client chose.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
import os
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from .errors import DomainError
from .settings import settings

register_heif_opener()
Image.MAX_IMAGE_PIXELS = 60_000_000  # about 60 MP: larger is no phone photo but a decompression bomb

ACCEPTED_FORMATS = {'JPEG', 'PNG', 'WEBP', 'HEIF', 'MPO'}
URL_LIFETIME = 6 * 3600


class NotAnImage(DomainError):
    pass


@dataclass(frozen=True, slots=True)
class StoredImage:
    token: str  # what the submit form sends back: the hash, signed by this server
    sha256: str
    width: int
    height: int
    size: int


def _sign(text: str) -> str:
    return hmac.new(settings.secret.encode(), text.encode(), hashlib.sha256).hexdigest()[:24]


def path_of(sha256: str) -> Path:
    return settings.attachments_dir / sha256[:2] / f'{sha256}.jpg'


def _reencode(data: bytes) -> tuple[bytes, int, int]:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise NotAnImage('Berkas ini bukan foto yang didukung. Kirim foto JPEG, PNG, WebP atau HEIC.')
        with Image.open(io.BytesIO(data)) as original:
            original.load()
            image = ImageOps.exif_transpose(original)
            if image.mode not in ('RGB', 'L'):  # transparency over white, as a phone would show it
                rgba = image.convert('RGBA')
                image = Image.new('RGB', image.size, 'white')
                image.paste(rgba, mask=rgba.getchannel('A'))
            image.thumbnail((settings.photo_max_side, settings.photo_max_side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            image.convert('RGB').save(out, 'JPEG', quality=settings.photo_quality, optimize=True, progressive=True)
            return out.getvalue(), image.width, image.height
    except NotAnImage:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError) as error:
        raise NotAnImage('Berkas ini bukan foto yang bisa dibaca. Kirim foto JPEG, PNG, WebP atau HEIC.') from error


def store_image_sync(data: bytes) -> StoredImage:
    if len(data) > settings.max_upload_bytes:
        raise NotAnImage(f'Foto terlalu besar (maksimal {settings.max_upload_bytes // (1024 * 1024)} MB).')
    if not data:
        raise NotAnImage('Berkas foto kosong.')
    encoded, width, height = _reencode(data)
    sha = hashlib.sha256(encoded).hexdigest()
    path = path_of(sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f'.{os.getpid()}.tmp')
        temporary.write_bytes(encoded)
        temporary.replace(path)  # atomic: a reader never sees half a file
    return StoredImage(token=f'{sha}.{_sign(sha)}', sha256=sha, width=width, height=height, size=len(encoded))


async def store_image(data: bytes) -> StoredImage:
    """Check, re-encode and store an uploaded photo (in a worker thread: decoding is CPU work)."""
    return await asyncio.to_thread(store_image_sync, data)


def read_token(token: str) -> str | None:
    """The hash behind an upload token this server issued, or None."""
    sha, _, signature = token.partition('.')
    if len(sha) != 64 or not hmac.compare_digest(_sign(sha), signature) or not path_of(sha).exists():
        return None
    return sha


async def describe_token(token: str) -> StoredImage | None:
    sha = read_token(token)
    if sha is None:
        return None
    with Image.open(path_of(sha)) as image:
        width, height = image.size
    return StoredImage(token=token, sha256=sha, width=width, height=height, size=path_of(sha).stat().st_size)


def signed_url(sha256: str, now: float | None = None) -> str:
    """A URL that serves the photo for a while; only pages that may show it create one."""
    expires = int((now or time.time()) + URL_LIFETIME) // 3600 * 3600 + 3600  # hourly steps: cacheable URLs
    return f'/lampiran/{sha256}.jpg?e={expires}&s={_sign(f"{sha256}:{expires}")}'


def check_signed(sha256: str, expires: int, signature: str) -> bool:
    return expires >= time.time() and hmac.compare_digest(_sign(f'{sha256}:{expires}'), signature)
