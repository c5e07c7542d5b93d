"""A category's extra questions asked on the citizen's form and the operator's form (simulated user)."""

from datetime import timedelta

from nicegui.testing import User

from models import Complaint
from services import auth, clock, open311_attributes
from tests import factories, staff


async def _questions(category_code: str = 'JALAN') -> int:
    category = await factories.category_id(category_code)
    boss = await staff.supervisor()
    await open311_attributes.save(boss, category_id=category, attribute_id=None, code='BAHAYA',
                                  datatype='singlevaluelist', required=True, description='Seberapa berbahaya?',
                                  order=1, values=[('RINGAN', 'Ringan'), ('PARAH', 'Parah')])
    await open311_attributes.save(boss, category_id=category, attribute_id=None, code='LEBAR', datatype='number',
                                  required=False, description='Perkiraan lebar lubang (cm)', order=2)
    return category


async def _fill_citizen(user: User, category: int) -> None:
    values = {'category': category, 'title': 'Jalan berlubang di depan SD',
              'description': 'Lubang besar di tengah jalan depan SD Kertek 2, sudah dua minggu, berbahaya.',
              'district': await factories.district_id('Kertek'), 'reporter_name': 'Budi Santoso',
              'reporter_phone': '+62 812 1111 2222'}
    for marker, value in values.items():
        user.find(marker=marker).elements.pop().value = value
    user.find(marker='consent').elements.pop().value = True


async def test_the_citizen_is_asked_the_categorys_questions_and_a_required_one_is_enforced(user: User):
    category = await _questions()
    await user.open('/')
    await _fill_citizen(user, category)
    await user.should_see('Seberapa berbahaya?', retries=30)
    user.find(marker='attribute-LEBAR').elements.pop().value = 'lebar sekali'
    user.find(marker='submit').click()
    await user.should_see(marker='form-error', retries=30)
    await user.should_see('pertanyaan tambahan')
    assert 'wajib' in user.find(marker='attribute-BAHAYA').elements.pop().error
    assert 'angka' in user.find(marker='attribute-LEBAR').elements.pop().error
    assert not await Complaint.exists()
    user.find(marker='attribute-BAHAYA').elements.pop().value = 'PARAH'
    user.find(marker='attribute-LEBAR').elements.pop().value = '80'
    user.find(marker='submit').click()
    await user.should_see(marker='pin', retries=30)
    complaint = await Complaint.get()
    assert complaint.attributes == {'BAHAYA': 'PARAH', 'LEBAR': 80}


async def test_a_category_without_questions_asks_none(user: User):
    await _questions('JALAN')
    await user.open('/')
    await _fill_citizen(user, await factories.category_id('PJU'))
    await user.should_not_see('Pertanyaan tambahan untuk kategori ini')
    user.find(marker='submit').click()
    await user.should_see(marker='pin', retries=30)
    assert (await Complaint.get()).attributes is None


async def test_the_operator_is_asked_the_categorys_questions_too(user: User):
    category = await _questions()
    await auth.create_user(username='operator112', password=staff.PASSWORD, role='operator', full_name='Rina')
    await staff.login(user, 'operator112')
    await user.should_see(marker='new-intake', retries=30)
    await user.open('/admin/aduan/baru')
    user.find(marker='category').elements.pop().value = category
    await user.should_see('Seberapa berbahaya?', retries=30)
    for marker, value in {'title': 'Jalan berlubang di depan pasar', 'district': await factories.district_id(),
                          'description': 'Penelepon: lubang besar di depan pasar Kertek, motor sering jatuh.',
                          'attribute-BAHAYA': 'RINGAN'}.items():
        user.find(marker=marker).elements.pop().value = value
    user.find(marker='reported_at').elements.pop().value = clock.local(
        clock.now() - timedelta(minutes=5)).strftime('%Y-%m-%dT%H:%M')
    user.find(marker='save').click()
    await user.should_see(marker='pin', retries=30)
    assert (await Complaint.get()).attributes == {'BAHAYA': 'RINGAN'}
