"""Photo upload (the submit form's picker) and signed photo downloads."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse

from services import attachments, limits
from services.ratelimit import wait_text
from services.settings import settings

router = APIRouter()


@router.post('/api/foto')
async def upload_photo(request: Request) -> JSONResponse:
    """Take one image as the raw request body; answer with a token for the submit form."""
    address = request.client.host if request.client else 'unknown'
    wait = limits.uploads.retry_after(address)
    if wait:
        return JSONResponse({'detail': f'Terlalu banyak unggahan. Silakan coba lagi dalam {wait_text(wait)}.'},
                            status_code=429, headers={'Retry-After': str(wait)})
    too_large = f'Foto terlalu besar (maksimal {settings.max_upload_bytes // (1024 * 1024)} MB).'
    declared = request.headers.get('content-length')
    if declared and declared.isdigit() and int(declared) > settings.max_upload_bytes:
        return JSONResponse({'detail': too_large}, status_code=413)
    body = bytearray()
    async for chunk in request.stream():  # the browser's own limit is advice: count what really arrives
        body += chunk
        if len(body) > settings.max_upload_bytes:
            return JSONResponse({'detail': too_large}, status_code=413)
    limits.uploads.hit(address)
    try:
        stored = await attachments.store_image(bytes(body))
    except attachments.NotAnImage as error:
        status = 413 if isinstance(error, attachments.PhotoTooLarge) else 415
        return JSONResponse({'detail': error.message}, status_code=status)
    return JSONResponse({'token': stored.token, 'width': stored.width, 'height': stored.height, 'size': stored.size})


@router.get('/lampiran/{name}')
async def photo(name: str, e: int = 0, s: str = '') -> FileResponse:
    sha = name.removesuffix('.jpg')
    if len(sha) != 64 or not all(c in '0123456789abcdef' for c in sha) or not attachments.check_signed(sha, e, s):
        raise HTTPException(status_code=404)
    path = attachments.path_of(sha)
    if not path.exists():
        raise HTTPException(status_code=404)
    return FileResponse(path, media_type='image/jpeg',
                        headers={'Cache-Control': 'private, max-age=3600', 'X-Content-Type-Options': 'nosniff'})
