"""Photos: checked, re-encoded without metadata, stored by content hash, served by signed URL.

Nothing the client sent is kept as it came: every image is decoded and encoded anew as JPEG,
which drops EXIF (GPS included) and anything hidden in the file, and its name on disk is the
hash of the new bytes, never a name the client chose.
"""

from __future__ import annotations

import asyncio
import ctypes
import hashlib
import hmac
import io
import logging
import os
import platform
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from models import Attachment, SocialScreening

from .errors import DomainError
from .settings import settings

log = logging.getLogger(__name__)
register_heif_opener()
MAX_PIXELS = 60_000_000  # about 60 MP: larger is no phone photo but a decompression bomb
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow only warns above this and refuses above twice it: _reencode checks
# ... and refuses every such photo itself before decoding, so Pillow's warning would only repeat the refusal
warnings.filterwarnings('ignore', category=Image.DecompressionBombWarning)

ACCEPTED_FORMATS = {'JPEG', 'PNG', 'WEBP', 'HEIF', 'MPO'}
RESIZABLE_MODES = {'RGB', 'RGBA', 'L', 'LA', 'CMYK'}  # shrunk as they come; palettes would shrink by nearest pixel
URL_LIFETIME = 6 * 3600
ORPHAN_AGE = timedelta(days=1)  # a photo uploaded but in no complaint after this long is deleted

# Photos decode two at a time (the machine's two cores): each 59 MP PNG holds 180 MB and more while it
# decodes, and six at once took the server from 161 MB to 5.6 GB; the rest wait their turn in this queue
_decoder = ThreadPoolExecutor(max_workers=2, thread_name_prefix='photo-decode')


def _glibc() -> ctypes.CDLL | None:
    if platform.libc_ver()[0] != 'glibc':
        return None
    try:
        return ctypes.CDLL('libc.so.6')
    except OSError:
        return None


_libc = _glibc()
if _libc is not None:
    # Pillow mallocs images in blocks of up to 16 MB. glibc serves such sizes by mmap, but after the first is freed
    # it raises its threshold above them and serves the next from the heap, which it rarely gives back: six 59 MP
    # PNGs left 2.9 GB held. A fixed threshold (M_MMAP_THRESHOLD = -3) keeps them mapped, so free() unmaps them
    _libc.mallopt(-3, 4 * 1024 * 1024)


class NotAnImage(DomainError):
    pass


class PhotoTooLarge(NotAnImage):
    """Too many bytes or too many pixels: refused before decoding (the route answers 413)."""


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
    side = settings.photo_max_side
    try:
        with Image.open(io.BytesIO(data)) as original:  # lazy: only the header is read here
            if original.format not in ACCEPTED_FORMATS:
                raise NotAnImage('Berkas ini bukan foto yang didukung. Kirim foto JPEG, PNG, WebP atau HEIC.')
            width, height = original.size
            if width * height > MAX_PIXELS:
                raise PhotoTooLarge(f'Foto terlalu besar: {width:,} × {height:,} piksel (maksimal '
                                    f'{MAX_PIXELS // 1_000_000} megapiksel).'.replace(',', '.'))
            if original.format in ('JPEG', 'MPO'):
                # Decode at 1/2, 1/4 or 1/8 scale while the long side stays at least `side`: a 12 MP photo then
                # needs 9 MB instead of 36 MB, and decodes faster
                scale = next(s for s in (8, 4, 2, 1) if s == 1 or max(width, height) >= side * s)
                original.draft(None, (width // scale, height // scale))
            image = original if original.mode in RESIZABLE_MODES else _on_white(original)
            image.thumbnail((side, side), Image.Resampling.LANCZOS)  # decodes; turning and flattening come after
            image = _on_white(ImageOps.exif_transpose(image))
            out = io.BytesIO()
            image.save(out, 'JPEG', quality=settings.photo_quality, optimize=True, progressive=True)
            return out.getvalue(), image.width, image.height
    except NotAnImage:
        raise
    except Image.DecompressionBombError as error:  # Pillow's own guard, above twice MAX_PIXELS
        raise PhotoTooLarge(f'Foto terlalu besar (maksimal {MAX_PIXELS // 1_000_000} megapiksel).') from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise NotAnImage('Berkas ini bukan foto yang bisa dibaca. Kirim foto JPEG, PNG, WebP atau HEIC.') from error


def _on_white(image: Image.Image) -> Image.Image:
    """RGB or L; transparency over white, as a phone would show it."""
    if image.mode in ('RGB', 'L'):
        return image
    rgba = image.convert('RGBA')
    flat = Image.new('RGB', image.size, 'white')
    flat.paste(rgba, mask=rgba.getchannel('A'))
    flat.info = image.info  # keeps the EXIF orientation for exif_transpose
    return flat


def give_memory_back() -> None:
    """Return freed heap pages to the system (glibc keeps them otherwise): after a decode, or many pages."""
    if _libc is not None:
        _libc.malloc_trim(0)


def store_image_sync(data: bytes) -> StoredImage:
    if len(data) > settings.max_upload_bytes:
        raise PhotoTooLarge(f'Foto terlalu besar (maksimal {settings.max_upload_bytes // (1024 * 1024)} MB).')
    if not data:
        raise NotAnImage('Berkas foto kosong.')
    try:
        encoded, width, height = _reencode(data)
    finally:
        give_memory_back()
    sha = hashlib.sha256(encoded).hexdigest()
    path = path_of(sha)
    if path.exists():
        os.utime(path)  # uploaded again: its age counts from now, so delete_orphans spares it for another day
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f'.{os.getpid()}.tmp')
        temporary.write_bytes(encoded)
        temporary.replace(path)  # atomic: a reader never sees half a file
    return StoredImage(token=f'{sha}.{_sign(sha)}', sha256=sha, width=width, height=height, size=len(encoded))


async def store_image(data: bytes) -> StoredImage:
    """Check, re-encode and store an uploaded photo (in the decoder's threads: decoding is CPU work and memory)."""
    return await asyncio.get_running_loop().run_in_executor(_decoder, store_image_sync, data)


async def delete_orphans(*, now: datetime) -> int:
    """Delete stored photos that no complaint or timeline event uses and that were last uploaded more than
    ``ORPHAN_AGE`` before ``now`` (and leftovers of interrupted writes); how many photos went. The scheduler
    calls it hourly; the folder is read in a worker thread (thousands of files)."""
    cutoff = (now - ORPHAN_AGE).timestamp()
    old = await asyncio.to_thread(_old_photos, cutoff)
    in_use = await _in_use(list(old))
    # Moved aside first, then checked once more: a complaint sent with one of them meanwhile gets it back
    moved = await asyncio.to_thread(_move_aside, [sha for sha in old if sha not in in_use], cutoff)
    used_now = await _in_use(moved)
    deleted = await asyncio.to_thread(_delete_or_restore, moved, used_now)
    if deleted:
        log.info('deleted %d photos that no complaint uses', deleted)
    return deleted


def _old_photos(cutoff: float) -> list[str]:
    """Hashes of the photos stored before ``cutoff``; leftovers of interrupted writes go at once."""
    old = []
    for path in settings.attachments_dir.glob('??/*'):
        try:
            if path.stat().st_mtime >= cutoff:
                continue
        except FileNotFoundError:  # deleted meanwhile
            continue
        if path.suffix == '.jpg' and len(path.stem) == 64:
            old.append(path.stem)
        elif path.suffix in ('.tmp', '.orphan'):
            path.unlink(missing_ok=True)
    return old


def _move_aside(hashes: list[str], cutoff: float) -> list[str]:
    moved = []
    for sha in hashes:
        path = path_of(sha)
        try:
            if path.stat().st_mtime >= cutoff:  # uploaded again since the scan
                continue
            path.rename(path.with_suffix('.orphan'))
        except FileNotFoundError:
            continue
        moved.append(sha)
    return moved


def _delete_or_restore(moved: list[str], used: set[str]) -> int:
    for sha in moved:
        aside = path_of(sha).with_suffix('.orphan')
        if sha in used:
            aside.rename(path_of(sha))
        else:
            aside.unlink(missing_ok=True)
    return len(moved) - len(used)


async def _in_use(hashes: list[str]) -> set[str]:
    used: set[str] = set()
    for start in range(0, len(hashes), 500):  # SQLite's bound on parameters per query
        used.update(await Attachment.filter(sha256__in=hashes[start:start + 500]).values_list('sha256', flat=True))
        # a screened-out post's screenshot belongs to no complaint, and is kept with the screening's record
        used.update(await SocialScreening.filter(screenshot_sha__in=hashes[start:start + 500]).values_list(
            'screenshot_sha', flat=True))
    return used


def read_token(token: str) -> str | None:
    """The hash behind an upload token this server issued, or None."""
    sha, _, signature = token.partition('.')
    if len(sha) != 64 or not hmac.compare_digest(_sign(sha), signature) or not path_of(sha).exists():
        return None
    return sha


async def describe_sha(sha256: str) -> StoredImage | None:
    """A stored photo by its hash (None when its file is gone)."""
    path = path_of(sha256)
    if not path.is_file():
        return None
    with Image.open(path) as image:
        width, height = image.size
    return StoredImage(token='', sha256=sha256, width=width, height=height, size=path.stat().st_size)


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
