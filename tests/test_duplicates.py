"""Duplicate suggestions while a complaint is written (issue 12 §3): found by category, kecamatan and similar text;
never a rahasia or closed complaint, never contact data; kept fresh by the event bus; bounded and rate-limited."""

import dataclasses

import pytest
from nicegui import event

from models import Status
from services import duplicates
from services.errors import RateLimited
from services.workflow import Action
from tests import factories, lifecycle

pytestmark = pytest.mark.usefixtures('database')

POTHOLE = dict(title='Jalan berlubang di depan SD Kertek 2',
               description='Lubang besar di tengah jalan depan SD Kertek 2, sudah dua minggu, berbahaya bagi motor.')
TYPED = dict(title='Jalan depan SD Kertek berlubang',
             description='Ada lubang besar di jalan depan SD Kertek, bahaya untuk motor.')


async def _ask(**overrides) -> list[duplicates.Suggestion]:
    fields = dict(category_id=await factories.category_id(), district_id=await factories.district_id(), **TYPED)
    fields.update(overrides)
    return await duplicates.suggest(**fields)


async def test_a_similar_open_complaint_of_the_same_category_and_kecamatan_is_offered():
    first = await factories.submit(**POTHOLE)
    found = await _ask()
    assert [s.code for s in found] == [first.code]
    suggestion = found[0]
    assert suggestion.title == POTHOLE['title'] and suggestion.district_name == 'Kertek'
    assert suggestion.status == Status.DIDISPOSISIKAN and suggestion.score >= duplicates.SCORE_MIN


async def test_nothing_is_offered_for_another_kecamatan_category_or_problem():
    await factories.submit(**POTHOLE)
    assert await _ask(district_id=await factories.district_id('Garung')) == []
    assert await _ask(category_id=await factories.category_id('PJU')) == []
    assert await _ask(title='Lampu jalan mati', description='Lampu penerangan di pertigaan pasar padam sejak minggu '
                                                            'lalu, malam gelap sekali.') == []


async def test_nothing_is_offered_before_the_choices_and_some_words():
    await factories.submit(**POTHOLE)
    assert await _ask(category_id=None) == []
    assert await _ask(district_id=None) == []
    assert await _ask(title='Jalan', description='') == []  # one word says too little


async def test_a_rahasia_complaint_is_never_offered_nor_its_text():
    secret = await factories.submit(privacy='rahasia', **POTHOLE)
    assert await _ask() == []
    public = await factories.submit(**POTHOLE)
    found = await _ask()
    assert [s.code for s in found] == [public.code] and secret.code not in str(found)


@pytest.mark.parametrize('status', [Status.SELESAI, Status.DITOLAK, Status.DITUTUP])
async def test_a_closed_complaint_is_never_offered(status):
    await lifecycle.walk_to(status, **POTHOLE)
    assert await _ask() == []


async def test_the_index_follows_changes_after_it_was_loaded():
    first = await factories.submit(**POTHOLE)
    assert [s.code for s in await _ask()] == [first.code]  # the bucket is loaded now
    second = await factories.submit(title='Jalan berlubang depan SD Kertek makin parah',
                                    description='Lubang di depan SD Kertek makin lebar, motor sering jatuh.')
    assert {s.code for s in await _ask()} == {first.code, second.code}  # a new complaint joins
    await lifecycle.step(first.view.code_key, Action.REJECT)
    assert [s.code for s in await _ask()] == [second.code]  # a closed one leaves
    await lifecycle.step(second.view.code_key, Action.RESPOND)
    assert [(s.code, s.status) for s in await _ask()] == [(second.code, Status.DIRESPONS)]  # its status follows


async def test_at_most_three_are_offered_and_nothing_carries_contact_data():
    for n in range(5):
        await factories.submit(title=f'Jalan berlubang di depan SD Kertek {n}', description=POTHOLE['description'],
                               reporter_email=f'warga{n}@contoh.id')
    found = await _ask()
    assert len(found) == duplicates.LIMIT
    fields = {f.name for f in dataclasses.fields(duplicates.Suggestion)}
    assert fields == {'code', 'title', 'district_name', 'village', 'status', 'reported_at', 'score'}
    shown = str(found)
    assert 'Siti' not in shown and '812' not in shown and '@' not in shown


async def test_a_long_text_is_cut_before_it_is_compared():
    first = await factories.submit(**POTHOLE)
    found = await _ask(description=TYPED['description'] + ' lagi' * 5000)
    assert [s.code for s in found] == [first.code]
    assert len(duplicates.normalise('kata ' * 10_000)) <= duplicates.QUERY_MAX


async def test_suggestions_are_rate_limited_per_address_before_the_work():
    await factories.submit(**POTHOLE)
    for _ in range(duplicates.RATE):
        await _ask(client_address='10.0.0.9', category_id=None)  # counted even when nothing is looked up
    with pytest.raises(RateLimited, match='tetap dapat dikirim'):
        await _ask(client_address='10.0.0.9')
    assert await _ask(client_address='10.0.0.10')  # another address is not held back


async def test_a_merged_complaint_leaves_the_suggestions_and_its_survivor_stays():
    survivor = await factories.submit(**POTHOLE)
    merged = await factories.submit(**TYPED)
    assert {s.code for s in await _ask()} == {survivor.code, merged.code}
    await lifecycle.step(merged.view.code_key, Action.MERGE, into=survivor.code)
    assert [s.code for s in await _ask()] == [survivor.code]


async def test_the_index_listens_again_after_the_bus_was_reset():
    first = await factories.submit(**POTHOLE)
    assert [s.code for s in await _ask()] == [first.code]
    event.reset()  # what NiceGUI's test harness does after every page test: every subscription is gone
    duplicates.forget()  # and what each test's set-up does
    assert [s.code for s in await _ask()] == [first.code]
    await lifecycle.step(first.view.code_key, Action.REJECT)
    assert await _ask() == []  # the rejection was heard
