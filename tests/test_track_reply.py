"""The reporter answers back on the tracking page (simulated user): add information, rate, reopen, with the PIN."""

from nicegui.testing import User

from models import Complaint, Status, TimelineEvent
from services import limits
from services.complaints import Privacy
from tests import factories, lifecycle


def _wrong(pin: str) -> str:
    return '000000' if pin != '000000' else '111111'


async def test_a_reporter_asked_for_information_answers_with_the_pin(user: User):
    result = await lifecycle.walk_to(Status.MENUNGGU_PELAPOR)
    await user.open(f'/lacak/{result.code}')
    await user.should_see('Petugas menunggu informasi dari Anda')
    await user.should_see('Mohon kirim foto lokasi yang lebih jelas.')  # the officer's question
    user.find(marker='info').type('Lubangnya tepat di depan gerbang SD, sekitar satu meter lebarnya.')
    user.find(marker='reply-pin').type(_wrong(result.pin))
    user.find(marker='send-info').click()
    pin = user.find(marker='reply-pin').elements.pop()
    await factories.eventually(lambda: 'PIN tidak cocok' in (pin.error or ''))
    info = user.find(marker='info').elements.pop()
    assert info.value.startswith('Lubangnya tepat di depan gerbang SD')  # what they typed is still there
    assert not await TimelineEvent.filter(complaint__code_key=result.view.code_key, kind='info_added').exists()

    user.find(marker='reply-pin').clear().type(result.pin)
    user.find(marker='send-info').click()
    await user.should_see('Informasi Anda sudah diteruskan ke petugas', retries=30)
    await user.should_see('Informasi tambahan dari pelapor: Lubangnya tepat di depan gerbang SD')  # on the timeline
    assert (await Complaint.get(code_key=result.view.code_key)).status == Status.DITINDAKLANJUTI
    assert info.value == ''
    await user.should_not_see('Petugas menunggu informasi dari Anda')
    await user.should_not_see(marker='reply-pin')  # the PIN is not asked again on this page


async def test_an_empty_answer_is_refused_with_a_message(user: User):
    result = await lifecycle.walk_to(Status.MENUNGGU_PELAPOR)
    await user.open(f'/lacak/{result.code}')
    user.find(marker='reply-pin').type(result.pin)
    user.find(marker='send-info').click()
    info = user.find(marker='info').elements.pop()
    await factories.eventually(lambda: 'Tuliskan informasi tambahan' in (info.error or ''))
    assert (await Complaint.get(code_key=result.view.code_key)).status == Status.MENUNGGU_PELAPOR


async def test_a_resolved_complaint_is_rated_once_and_the_rating_is_shown(user: User):
    result = await lifecycle.walk_to(Status.SELESAI)
    await user.open(f'/lacak/{result.code}')
    await user.should_see('Seberapa puas Anda')
    user.find(marker='reply-pin').type(result.pin)
    user.find(marker='send-rating').click()  # no star chosen yet
    await user.should_see('Pilih nilai 1 sampai 5 bintang', retries=30)
    user.find(marker='stars').elements.pop().value = 2
    user.find(marker='comment').type('Ditambal tapi sudah retak lagi.')
    user.find(marker='send-rating').click()
    await user.should_see('Penilaian Anda: ★★☆☆☆ (2 dari 5)', retries=30)
    await user.should_not_see('Seberapa puas Anda')
    assert (await Complaint.get(code_key=result.view.code_key)).rating == 2
    await user.open(f'/lacak/{result.code}')  # opened again later: the rating given is shown, no form
    await user.should_see('Penilaian Anda: ★★☆☆☆')
    await user.should_not_see('Seberapa puas Anda')


async def test_a_resolved_complaint_is_reopened_with_a_reason(user: User):
    result = await lifecycle.walk_to(Status.SELESAI)
    await user.open(f'/lacak/{result.code}')
    await user.should_see('Masalahnya belum tuntas?')
    user.find(marker='reason').type('Lubangnya muncul lagi setelah hujan kemarin.')
    user.find(marker='reply-pin').type(result.pin)
    user.find(marker='send-reopen').click()
    await user.should_see('Aduan dibuka kembali', retries=30)
    await user.should_see('Pelapor membuka kembali aduan: Lubangnya muncul lagi')
    await user.should_not_see('Masalahnya belum tuntas?')  # once only
    assert (await Complaint.get(code_key=result.view.code_key)).status == Status.DITINDAKLANJUTI


async def test_a_locked_rahasia_page_offers_no_reply_until_opened_with_the_pin(user: User):
    result = await lifecycle.walk_to(Status.MENUNGGU_PELAPOR, privacy=Privacy.RAHASIA)
    await user.open(f'/lacak/{result.code}')
    await user.should_not_see('Petugas menunggu informasi dari Anda')
    await user.should_not_see('Mohon kirim foto lokasi')  # the question is content too
    user.find(marker='pin').type(result.pin)
    user.find(marker='unlock').click()
    await user.should_see('Petugas menunggu informasi dari Anda', retries=30)
    await user.should_not_see(marker='reply-pin')  # the PIN was just given
    user.find(marker='info').type('Nama petugas puskesmas yang menolak saya: Pak Budi.')
    user.find(marker='send-info').click()
    await user.should_see('Informasi Anda sudah diteruskan ke petugas', retries=30)


async def test_a_rejected_complaint_offers_nothing_to_answer(user: User):
    result = await lifecycle.walk_to(Status.DITOLAK)
    await user.open(f'/lacak/{result.code}')
    await user.should_see('Riwayat penanganan')
    await user.should_not_see(marker='send-info')
    await user.should_not_see(marker='send-rating')
    await user.should_not_see(marker='send-reopen')


async def test_a_wait_is_told_where_the_reporter_looks_once_the_pin_field_is_gone(user: User):
    limits.configure(info=(1, 3600))
    result = await lifecycle.walk_to(Status.DIRESPONS)
    await user.open(f'/lacak/{result.code}')
    user.find(marker='info').type('Lubangnya makin lebar.')
    user.find(marker='reply-pin').type(result.pin)
    user.find(marker='send-info').click()
    await user.should_see('Informasi Anda sudah diteruskan ke petugas', retries=30)
    await user.should_not_see(marker='reply-pin')
    user.find(marker='info').type('Sekarang ada genangan air juga.')
    user.find(marker='send-info').click()
    await user.should_see('sudah banyak dikirim', retries=30)  # not into the hidden PIN field
    assert user.find(marker='info').elements.pop().value == 'Sekarang ada genangan air juga.'
