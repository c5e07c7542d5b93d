"""Duplicates on the pages (issue 12 §3), through NiceGUI's simulated user: the suggestion box on the citizen's
form, the merged code's tracking page, and the supervisor's merge with its confirmation."""

from nicegui import ui
from nicegui.testing import User

from components.duplicate_hint import DuplicateHint
from components.fields import select, text_input
from models import Complaint, Status
from services import auth, complaints
from tests import factories
from tests.staff import ADMIN_PASSWORD, PASSWORD, on_board

POTHOLE = dict(title='Jalan berlubang di depan SD Kertek 2',
               description='Lubang besar di tengah jalan depan SD Kertek 2, sudah dua minggu, berbahaya bagi motor.')


async def _choose(user: User) -> None:
    user.find(marker='category').elements.pop().value = await factories.category_id('JALAN')
    user.find(marker='district').elements.pop().value = await factories.district_id('Kertek')


async def test_typing_shows_similar_open_complaints_with_a_link_and_keeps_the_form(user: User):
    first = await factories.submit(reporter_email='siti@contoh.id', **POTHOLE)
    await factories.submit(privacy='rahasia', title='Jalan berlubang depan SD Kertek 2, rahasia',
                           description=POTHOLE['description'])
    await user.open('/')
    await _choose(user)
    user.find(marker='title').type('Jalan depan SD Kertek berlubang')
    user.find(marker='description').type('Ada lubang besar di jalan depan SD Kertek, bahaya untuk motor.')
    # What the browser sends once typing pauses for 400 ms (components/duplicate_hint.py's timer)
    user.find(marker='duplicate-hint').trigger('similar')
    await user.should_see('Apakah maksud Anda salah satu dari ini?', retries=30)
    await user.should_see(POTHOLE['title'])
    await user.should_see('Kec. Kertek')
    links = [link.props['href'] for link in user.find(marker='duplicate-follow').elements]
    assert links == [f'/lacak/{first.code}']  # the rahasia one is never offered
    shown = str([e._to_dict() for e in user.client.elements.values()])
    assert 'Jalan berlubang depan SD Kertek 2, rahasia' not in shown
    for secret in ('Siti', 'siti@contoh.id', '6281234567890'):
        assert secret not in shown
    # The citizen may ignore it: nothing typed was touched, and sending still works
    assert user.find(marker='title').elements.pop().value == 'Jalan depan SD Kertek berlubang'
    user.find(marker='reporter_name').type('Budi Santoso')
    user.find(marker='reporter_phone').type('0812 1111 2222')
    user.find(marker='consent').elements.pop().value = True
    user.find(marker='submit').click()
    await user.should_see(marker='pin', retries=30)
    assert await Complaint.filter(title='Jalan depan SD Kertek berlubang').exists()


async def test_no_box_for_another_kecamatan_or_before_words(user: User):
    await factories.submit(**POTHOLE)
    await user.open('/')
    await _choose(user)
    user.find(marker='duplicate-hint').trigger('similar')  # chosen, nothing typed yet
    user.find(marker='district').elements.pop().value = await factories.district_id('Garung')
    user.find(marker='title').type('Jalan depan SD Kertek berlubang besar')
    user.find(marker='duplicate-hint').trigger('similar')
    await user.should_not_see('Apakah maksud Anda salah satu dari ini?')


async def _merge_on_page(user: User, merged_code: str, survivor_code: str) -> None:
    await user.open(f'/admin/aduan/{merged_code}')
    user.find(marker='merge-into').type(survivor_code)
    user.find(marker='action-merge').click()
    await user.should_see(f'Gabungkan aduan {merged_code} ke aduan {survivor_code}', retries=30)


async def test_a_supervisor_merges_after_a_confirmation_naming_both(user: User):
    survivor = await factories.submit(**POTHOLE)
    merged = await factories.submit()
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await _merge_on_page(user, merged.code, survivor.code)
    assert (await Complaint.get(code_key=merged.view.code_key)).status != Status.DIGABUNG  # not before the yes
    user.find(marker='merge-confirm').click()
    await user.should_see(f'Aduan ini sudah digabungkan ke aduan {survivor.code}.', retries=30)
    row = await Complaint.get(code_key=merged.view.code_key)
    assert row.status == Status.DIGABUNG

    await user.open(f'/lacak/{merged.code}')  # the merged code follows the survivor
    await user.should_see('Aduan ini digabungkan ke', retries=30)
    await user.should_see('Diteruskan ke OPD')  # the survivor's status
    await user.should_see('Lubang besar di tengah jalan depan SD Kertek 2')  # its public progress and content


async def test_a_refused_merge_says_why_and_an_opd_admin_has_no_merge(user: User):
    merged = await factories.submit()
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await user.open(f'/admin/aduan/{merged.code}')
    user.find(marker='merge-into').type(merged.code)
    user.find(marker='action-merge').click()
    await user.should_see('Aduan tidak dapat digabungkan ke dirinya sendiri.', retries=30)
    assert (await Complaint.get(code_key=merged.view.code_key)).status == Status.DIDISPOSISIKAN

    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR')
    await on_board(user, 'dpupr')
    await user.open(f'/admin/aduan/{merged.code}')
    await user.should_see(marker='action-respond', retries=30)
    await user.should_not_see(marker='action-merge')


async def test_the_supervisor_is_offered_similar_open_complaints_to_merge_into(user: User):
    survivor = await factories.submit(**POTHOLE)
    await factories.submit(privacy='rahasia', **POTHOLE)  # never offered, to staff either: it is no one's to follow
    merged = await factories.submit(title='Jalan depan SD Kertek berlubang',
                                    description='Ada lubang besar di jalan depan SD Kertek, bahaya untuk motor.')
    await on_board(user, 'admin', ADMIN_PASSWORD)
    await user.open(f'/admin/aduan/{merged.code}')
    await user.should_see('Aduan serupa yang masih terbuka', retries=30)
    assert len(user.find(marker='merge-candidate').elements) == 1
    await user.should_see(f'{survivor.code} · {POTHOLE["title"]}')
    user.find(marker='merge-pick').click()
    assert user.find(marker='merge-into').elements.pop().value == survivor.code
    user.find(marker='action-merge').click()
    await user.should_see(f'Gabungkan aduan {merged.code} ke aduan {survivor.code}', retries=30)
    user.find(marker='merge-confirm').click()
    await user.should_see(f'Aduan ini sudah digabungkan ke aduan {survivor.code}.', retries=30)
    await user.should_not_see('Aduan serupa yang masih terbuka')  # merged: nothing more to merge


async def test_the_box_is_reusable_on_another_form_and_can_show_each_code(user: User):
    """What the operator's intake form does: its own fields, the box under them, each code shown to read out."""
    first = await factories.submit(**POTHOLE)
    categories = dict((cid, name) for cid, name, _ in await complaints.active_categories())
    districts = dict(await complaints.districts())

    @ui.page('/uji/saran-aduan')
    def form() -> None:
        category = select(categories, 'Kategori', marker='category')
        district = select(districts, 'Kecamatan', marker='district')
        title = text_input('Judul', marker='title')
        description = ui.textarea('Uraian').mark('description')
        DuplicateHint(category=category, district=district, title=title, description=description,
                      client_address=None, show_code=True)

    await user.open('/uji/saran-aduan')
    await _choose(user)
    user.find(marker='title').type('Jalan depan SD Kertek berlubang besar')
    user.find(marker='duplicate-hint').trigger('similar')
    await user.should_see(f'{first.code} · {POTHOLE["title"]}', retries=30)
