"""The error pages: Indonesian, a way back, and never the exception itself."""

import asyncio

import pytest
from nicegui import ui
from nicegui.testing import User

LEAKS = ('HTTPException', 'RuntimeError', 'Traceback', 'basis data terkunci', 'lapor.sqlite')


async def test_an_unknown_address_answers_404_in_indonesian_with_a_way_home(user: User):
    response = await user.http_client.get('/halaman-yang-tidak-ada')
    assert response.status_code == 404
    assert 'Halaman tidak ditemukan' in response.text
    assert 'href="/"' in response.text and 'Kembali ke beranda' in response.text
    assert 'href="/admin"' not in response.text  # a citizen is not sent to the staff board
    assert not [leak for leak in LEAKS if leak in response.text]
    assert 'Not Found' not in response.text


async def test_an_unknown_staff_address_also_leads_back_to_the_board(user: User):
    response = await user.http_client.get('/admin/tidak-ada')
    assert response.status_code == 404
    assert 'Halaman tidak ditemukan' in response.text
    assert 'href="/admin"' in response.text and 'Ke papan petugas' in response.text
    assert 'href="/"' in response.text


async def test_a_missing_photo_stays_a_plain_404_for_its_route(user: User):
    response = await user.http_client.get('/lampiran/tidak-ada.jpg')
    assert response.status_code == 404
    assert 'Halaman tidak ditemukan' not in response.text  # an image tag gets no page


@pytest.mark.parametrize('path', ['/uji-gagal', '/admin/uji-gagal'])
@pytest.mark.parametrize('builder', ['sync', 'async'])
async def test_a_failing_page_answers_500_in_indonesian_without_the_exception(user: User, caplog, path, builder):
    def fail() -> None:
        raise RuntimeError('basis data terkunci: /srv/lapor/lapor.sqlite')

    async def fail_later() -> None:
        await asyncio.sleep(0)  # as a page that awaits a service first
        fail()

    ui.page(path)(fail if builder == 'sync' else fail_later)  # a test-only page, gone with the next test's reset
    response = await user.http_client.get(path)
    assert response.status_code == 500
    assert 'Terjadi kesalahan' in response.text and 'Call Center 112' in response.text
    assert 'Kembali ke beranda' in response.text
    assert ('Ke papan petugas' in response.text) == path.startswith('/admin/')
    assert not [leak for leak in LEAKS if leak in response.text]
    logged = [r for r in caplog.records if r.levelname == 'ERROR' and 'basis data terkunci' in r.getMessage()]
    assert logged and logged[0].exc_info, 'the operator still gets the traceback in the log'
    caplog.clear()  # the user fixture fails a test on ERROR logs: this one was expected
