"""Tracking pages through NiceGUI's simulated user: privacy, PIN, limits and live updates."""

import pytest
from nicegui.testing import User

from services import limits
from services.complaints import Privacy
from services.complaints_labels import PRIVACY_LABELS
from services.workflow import Action
from tests import factories, lifecycle

REPORTER = {'reporter_name': 'Siti Aminah', 'reporter_phone': '0812-3456-7890', 'reporter_email': 'siti@contoh.id'}


def _texts(user: User) -> str:
    """Everything the page holds for this client, as the browser would receive it."""
    return repr(user.client.layout._collect_elements()) if hasattr(user.client.layout, '_collect_elements') \
        else str([e._to_dict() for e in user.client.elements.values()])


@pytest.mark.parametrize('privacy', [Privacy.PUBLIK, Privacy.ANONIM])
async def test_public_and_anonim_show_content_and_timeline_but_never_the_reporter(user: User, privacy):
    result = await factories.submit(privacy=privacy, **REPORTER)
    await user.open(f'/lacak/{result.code}')
    await user.should_see('Jalan berlubang di depan SD')
    await user.should_see('Lubang besar di tengah jalan')
    await user.should_see('Aduan diterima')
    await user.should_see('Diteruskan ke OPD')
    await user.should_see('Dinas Pekerjaan Umum dan Penataan Ruang')
    sent = _texts(user)
    # Whole phone forms only: a short fragment such as '0812' also turns up inside millisecond timestamps.
    for secret in ('Siti', '0812-3456-7890', '081234567890', '6281234567890', 'siti@contoh.id'):
        assert secret not in sent


async def test_rahasia_shows_only_status_and_clocks_without_pin(user: User):
    result = await factories.submit(privacy=Privacy.RAHASIA, **REPORTER)
    await user.open(f'/lacak/{result.code}')
    await user.should_see('Diteruskan ke OPD')
    await user.should_see(marker='clock-first_response')
    await user.should_see('Isi dan riwayatnya hanya terlihat')
    await user.should_not_see('Lubang besar di tengah jalan')
    sent = _texts(user)
    assert 'Lubang besar' not in sent and 'Jalan berlubang' not in sent and 'Siti' not in sent


async def test_rahasia_opens_with_the_right_pin_and_refuses_a_wrong_one(user: User):
    result = await factories.submit(privacy=Privacy.RAHASIA)
    await user.open(f'/lacak/{result.code}')
    wrong = '000000' if result.pin != '000000' else '111111'
    user.find(marker='pin').type(wrong)
    user.find(marker='unlock').click()
    pin = user.find(marker='pin').elements.pop()
    await factories.eventually(lambda: 'PIN tidak cocok' in (pin.error or ''))
    await user.should_not_see('Lubang besar di tengah jalan')
    user.find(marker='pin').clear().type(result.pin)
    user.find(marker='unlock').click()
    await user.should_see('Lubang besar di tengah jalan', retries=30)
    await user.open(f'/lacak/{result.code}')  # a link opened later asks for the PIN again
    await user.should_not_see('Lubang besar di tengah jalan')


async def test_lookup_form_reads_loose_codes_and_goes_to_the_complaint(user: User):
    result = await factories.submit()
    await user.open('/lacak')
    user.find(marker='code').type(result.code.lower().replace('-', ''))
    user.find(marker='lookup').click()
    await user.should_see(result.code, retries=30)
    await user.should_see('Jalan berlubang di depan SD')


async def test_lookup_form_with_pin_unlocks_rahasia(user: User):
    result = await factories.submit(privacy=Privacy.RAHASIA)
    await user.open('/lacak')
    user.find(marker='code').type(result.code)
    user.find(marker='pin').type(result.pin)
    user.find(marker='lookup').click()
    await user.should_see('Lubang besar di tengah jalan', retries=30)


async def test_unknown_code_says_so(user: User):
    await user.open('/lacak/WSB-ZZZZ-ZZZZ')
    await user.should_see('Kode pelacakan tidak ditemukan')


async def test_failed_lookups_are_limited_with_a_clear_message(user: User):
    limits.configure(lookup=(2, 60))
    result = await factories.submit()
    await user.open('/lacak/WSB-ZZZZ-ZZZ0')
    await user.open('/lacak/WSB-ZZZZ-ZZZ1')
    await user.open(f'/lacak/{result.code}')  # even a right code waits until the limit passes
    await user.should_see('Terlalu banyak percobaan yang gagal')


async def test_open_page_shows_a_public_update_without_reload(user: User):
    result = await factories.submit()
    await user.open(f'/lacak/{result.code}')
    await user.should_not_see('Tim sudah meninjau lokasi')
    await lifecycle.step(result.view.code_key, Action.RESPOND, message='Tim sudah meninjau lokasi dan akan menambal.')
    await user.should_see('Tim sudah meninjau lokasi', retries=10)
    await user.should_see('Sudah direspons')


async def test_other_complaints_updates_do_not_touch_the_page(user: User):
    mine = await factories.submit()
    other = await factories.submit()
    await user.open(f'/lacak/{mine.code}')
    await lifecycle.step(other.view.code_key, Action.RESPOND, message='Pesan untuk aduan lain.')
    await user.should_not_see('Pesan untuk aduan lain.')


@pytest.mark.parametrize('privacy', [Privacy.PUBLIK, Privacy.ANONIM, Privacy.RAHASIA])
async def test_tracking_page_says_what_the_privacy_choice_means(user: User, privacy):
    result = await factories.submit(privacy=privacy)
    await user.open(f'/lacak/{result.code}')
    label, meaning = PRIVACY_LABELS[privacy]
    await user.should_see(f'Aduan {label.lower()}. {meaning}', marker='summary')
    for other, (_, other_meaning) in PRIVACY_LABELS.items():
        if other != privacy:
            await user.should_not_see(other_meaning)


async def test_a_tracking_page_opened_again_after_a_change_shows_the_change(user: User):
    result = await factories.submit()
    await user.open(f'/lacak/{result.code}')  # the lookup keeps this complaint's view for the next visitor
    await lifecycle.step(result.view.code_key, Action.RESPOND, message='Tim kami menuju lokasi siang ini.')
    await user.open(f'/lacak/{result.code}')
    await user.should_see('Tim kami menuju lokasi siang ini.')
    await user.should_see('Sudah direspons')
