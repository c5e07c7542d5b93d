"""Guessing tracking codes and PINs: every attempt is counted before it is checked, per address and per complaint;
Open311 counts unknown codes like the tracking page, and its list is not a directory of codes."""

import asyncio

import httpx
import pytest
from nicegui import core
from nicegui.testing import User

from models import Role
from models import User as StaffUser
from services import apikeys, app_settings, auth, codes, complaints, limits, sessions
from services.complaints import PinLimited, Privacy
from services.errors import NotAllowed, RateLimited
from services.settings import settings
from services.workflow import Actor
from tests import factories
from tests.staff import ADMIN_PASSWORD, on_board

API = '/open311/v2'


@pytest.fixture(autouse=True)
def _default_limits(monkeypatch):
    """The app's own limits (a test that lowers one must not leak it), and no cached switch from another test."""
    limits.configure(lookup=(settings.lookup_fail_limit, settings.lookup_fail_window),
                     pin=(settings.pin_fail_limit, settings.pin_fail_window))
    app_settings.forget()
    monkeypatch.setattr(auth, 'throttle', auth.LoginThrottle())
    yield
    limits.configure(pin=(settings.pin_fail_limit, settings.pin_fail_window))
    app_settings.forget()


def _count_calls(monkeypatch, module, name: str) -> list:
    """Record each call of ``module.name`` (still calling it)."""
    calls = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def _random_codes(count: int) -> list[str]:
    return [codes.new_code()[0] for _ in range(count)]


def _wrong(pin: str) -> str:
    return '000000' if pin != '000000' else '111111'


def _client(address: str) -> httpx.AsyncClient:
    """An HTTP client on the running app that arrives from ``address``."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(core.app, client=(address, 4321)), base_url='http://test')


# --- Tracking codes ---

async def test_a_burst_of_unknown_codes_on_the_tracking_page_checks_exactly_the_limit(user: User, monkeypatch):
    looked_up = _count_calls(monkeypatch, complaints, 'public_view_by_key')
    answers = await asyncio.gather(*(user.http_client.get(f'/lacak/{code}') for code in _random_codes(100)))
    assert all(answer.status_code == 200 for answer in answers)
    not_found = [a for a in answers if 'Kode pelacakan tidak ditemukan' in a.text]
    refused = [a for a in answers if 'Terlalu banyak percobaan yang gagal' in a.text and 'coba lagi dalam' in a.text]
    assert (len(not_found), len(refused)) == (settings.lookup_fail_limit, 100 - settings.lookup_fail_limit)
    assert len(looked_up) == settings.lookup_fail_limit  # the refused ones never reached the database


@pytest.mark.usefixtures('database')
async def test_found_codes_and_right_pins_use_up_no_limit():
    limits.configure(lookup=(3, 60), pin=(2, 3600))
    result = await factories.submit(privacy=Privacy.RAHASIA)
    for _ in range(10):
        assert (await complaints.look_up(code=result.code, client_address='10.1.1.1')).view.code == result.code
        assert (await complaints.look_up(code=result.code, pin=result.pin, client_address='10.1.1.1')).pin_ok


# --- PINs ---

@pytest.mark.usefixtures('database')
async def test_a_burst_of_wrong_pins_from_one_address_checks_exactly_the_address_limit(monkeypatch):
    limits.configure(pin=(1000, 3600))  # the complaint's own limit out of the way: this is about the address's
    result = await factories.submit(privacy=Privacy.RAHASIA)
    checked = _count_calls(monkeypatch, codes, 'check_pin')
    outcomes = await asyncio.gather(*(complaints.look_up(code=result.code, pin=_wrong(result.pin),
                                                         client_address='10.2.2.2') for _ in range(60)),
                                    return_exceptions=True)
    assert len(checked) == settings.lookup_fail_limit
    assert sum(isinstance(o, complaints.Lookup) and o.pin_wrong for o in outcomes) == settings.lookup_fail_limit
    assert sum(isinstance(o, RateLimited) for o in outcomes) == 60 - settings.lookup_fail_limit


@pytest.mark.usefixtures('database')
async def test_wrong_pins_from_many_addresses_stop_at_ten_an_hour_for_the_complaint(monkeypatch):
    result = await factories.submit(privacy=Privacy.RAHASIA)
    checked = _count_calls(monkeypatch, codes, 'check_pin')
    outcomes = await asyncio.gather(*(complaints.look_up(code=result.code, pin=_wrong(result.pin),
                                                         client_address=f'10.3.3.{n % 12}') for n in range(360)),
                                    return_exceptions=True)
    assert len(checked) == settings.pin_fail_limit == 10
    assert sum(isinstance(o, PinLimited) for o in outcomes) >= 360 - 10 - 12 * settings.lookup_fail_limit
    # now even the right PIN waits, from an address never seen, and the message says how long
    with pytest.raises(PinLimited) as refused:
        await complaints.look_up(code=result.code, pin=result.pin, client_address='10.9.9.9')
    assert 'coba lagi dalam 60 menit' in refused.value.message
    assert len(checked) == 10
    # another complaint is not affected
    other = await factories.submit(privacy=Privacy.RAHASIA)
    assert (await complaints.look_up(code=other.code, pin=other.pin, client_address='10.3.3.1')).pin_ok


@pytest.mark.usefixtures('database')
async def test_the_complaints_pin_opens_again_after_its_window():
    limits.configure(pin=(2, 0.3))
    result = await factories.submit(privacy=Privacy.RAHASIA)
    for _ in range(2):
        assert (await complaints.look_up(code=result.code, pin=_wrong(result.pin))).pin_wrong
    with pytest.raises(PinLimited):
        await complaints.look_up(code=result.code, pin=result.pin)
    await asyncio.sleep(0.35)
    assert (await complaints.look_up(code=result.code, pin=result.pin)).pin_ok


async def test_unlock_form_says_when_the_pin_may_be_tried_again(user: User):
    limits.configure(pin=(2, 3600))
    result = await factories.submit(privacy=Privacy.RAHASIA)
    await user.open(f'/lacak/{result.code}')
    pin = user.find(marker='pin').elements.pop()
    for _ in range(2):
        pin.error = None
        user.find(marker='pin').clear().type(_wrong(result.pin))
        user.find(marker='unlock').click()
        await factories.eventually(lambda: 'PIN tidak cocok' in (pin.error or ''))
    user.find(marker='pin').clear().type(result.pin)
    user.find(marker='unlock').click()
    await factories.eventually(lambda: 'coba lagi dalam 60 menit' in (pin.error or ''))
    assert 'Terlalu banyak PIN salah untuk aduan ini' in pin.error
    await user.should_not_see('Lubang besar di tengah jalan')


async def test_lookup_form_says_when_the_pin_may_be_tried_again(user: User):
    limits.configure(pin=(1, 3600))
    result = await factories.submit(privacy=Privacy.RAHASIA)
    # a guess from another address uses up this complaint's one try
    assert (await complaints.look_up(code=result.code, pin=_wrong(result.pin), client_address='10.4.4.4')).pin_wrong
    await user.open('/lacak')
    user.find(marker='code').type(result.code)
    user.find(marker='pin').type(result.pin)
    user.find(marker='lookup').click()
    pin = user.find(marker='pin').elements.pop()
    await factories.eventually(lambda: 'coba lagi dalam 60 menit' in (pin.error or ''))
    await user.should_not_see('Lubang besar di tengah jalan')


# --- Open311: one request by its code ---

async def test_open311_unknown_codes_share_the_tracking_pages_limit_and_get_429(user: User):
    limits.configure(lookup=(3, 60))
    known = await factories.submit()
    assert (await user.http_client.get(f'{API}/requests/{known.code}.json')).status_code == 200  # now cached
    await user.http_client.get('/lacak/WSB-ZZZZ-ZZZ0')
    await user.http_client.get('/lacak/WSB-ZZZZ-ZZZ1')
    assert (await user.http_client.get(f'{API}/requests/WSB-ZZZZ-ZZZ2.json')).status_code == 404
    refused = await user.http_client.get(f'{API}/requests/WSB-ZZZZ-ZZZ3.json')
    assert refused.status_code == 429
    assert int(refused.headers['Retry-After']) > 0
    [error] = refused.json()
    assert error['code'] == 429 and 'coba lagi dalam' in error['description']
    # a partner polling a code it holds is answered from the cache, limit or not
    assert (await user.http_client.get(f'{API}/requests/{known.code}.json')).status_code == 200
    async with _client('10.5.5.5') as elsewhere:  # another address is not held up
        assert (await elsewhere.get(f'{API}/requests/WSB-ZZZZ-ZZZ4.json')).status_code == 404


async def test_a_burst_of_unknown_codes_on_open311_checks_exactly_the_limit(user: User):
    answers = await asyncio.gather(*(user.http_client.get(f'{API}/requests/{code}.json')
                                     for code in _random_codes(100)))
    statuses = [answer.status_code for answer in answers]
    assert (statuses.count(404), statuses.count(429)) == (settings.lookup_fail_limit,
                                                          100 - settings.lookup_fail_limit)


async def test_a_partner_with_its_key_polling_many_codes_at_once_is_not_counted(user: User):
    limits.configure(lookup=(3, 60))
    held = [(await factories.submit()).code for _ in range(12)]
    _, raw = await apikeys.create(name='mitra-poller')
    answers = await asyncio.gather(*(user.http_client.get(f'{API}/requests/{code}.json', headers={'X-Api-Key': raw})
                                     for code in [*held, *_random_codes(8)]))
    assert [a.status_code for a in answers] == [200] * 12 + [404] * 8
    wrong = await user.http_client.get(f'{API}/requests/{held[0]}x.json', params={'api_key': 'lpr_bukan'})
    assert wrong.status_code == 403  # the spec's status for a wrong key


# --- Open311: the list and its public switch ---

async def _supervisor() -> Actor:
    return auth.actor_of(await StaffUser.get(username='admin').select_related('agency'))


@pytest.mark.usefixtures('database')
async def test_only_a_supervisor_in_a_live_session_turns_the_public_list_on():
    assert not await app_settings.open311_list_is_public()  # off until someone decides
    supervisor = await _supervisor()
    operator = Actor(user_id=supervisor.user_id + 100, username='operator', name='Operator', role=Role.OPERATOR)
    with pytest.raises(NotAllowed):
        await app_settings.set_open311_public_list(operator, on=True)
    token, signed_in = await sessions.start(supervisor, address='10.6.6.6')
    switch = await app_settings.set_open311_public_list(signed_in, on=True)
    assert switch.on and switch.updated_by == 'admin'
    assert await app_settings.open311_list_is_public()
    await sessions.end(token)
    with pytest.raises(sessions.SessionEnded):
        await app_settings.set_open311_public_list(signed_in, on=False)
    assert await app_settings.open311_list_is_public()
    app_settings.forget()
    assert await app_settings.open311_list_is_public()  # kept in the database, not only in memory


async def test_supervisor_opens_the_list_to_the_public_and_rahasia_stays_unlisted(user: User):
    public = await factories.submit(privacy=Privacy.PUBLIK)
    secret = await factories.submit(privacy=Privacy.RAHASIA)
    closed = await user.http_client.get(f'{API}/requests.json')
    assert closed.status_code == 403 and public.code not in closed.text
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await user.open('/admin/pengaturan')
    await user.should_see('Open311')
    await user.open('/admin/pengaturan/open311')
    await user.should_see('Aduan rahasia tidak pernah tercantum')
    user.find(marker='open311-public').click()
    user.find(marker='save').click()
    await user.should_see('Tersimpan: daftar aduan terbuka untuk umum.', retries=30)
    listed = await user.http_client.get(f'{API}/requests.json')
    assert listed.status_code == 200
    assert [item['service_request_id'] for item in listed.json()] == [public.code]
    assert secret.code not in listed.text
    user.find(marker='open311-public').click()
    user.find(marker='save').click()
    await user.should_see('Tersimpan: daftar aduan hanya untuk mitra dengan kunci API.', retries=30)
    assert (await user.http_client.get(f'{API}/requests.json')).status_code == 403


async def test_the_form_says_what_each_privacy_choice_shows_and_to_whom(user: User):
    await user.open('/')
    await user.should_see('tampil di daftar aduan publik bila Pemerintah Kabupaten membuka daftar itu')
    await user.should_see('Nama dan kontak Anda hanya dapat dibuka admin OPD yang menangani dan supervisor')
    await user.should_see('Tidak pernah tercantum di daftar aduan mana pun')
    await user.should_not_see('Isi dan identitas hanya dilihat petugas')  # "identitas": a name was never shown
