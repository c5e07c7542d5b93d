"""insert_family: a complaint and its rows land together or not at all, on the one-trip SQLite path and inside
an ORM transaction."""

from datetime import UTC, datetime

import pytest
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models import Category, Channel, Complaint, EventKind, Privacy, SlaClock, Status, TimelineEvent
from services import sla, writes
from services.complaints import ClockKind

pytestmark = pytest.mark.usefixtures('database')
AT = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


async def _family(key: str) -> tuple[Complaint, list]:
    category = await Category.get(code='JALAN')
    complaint = Complaint(code=f'WSB-{key[:4]}-{key[4:]}', code_key=key, pin_hash='x', channel=Channel.WEB,
                          category=category, status=Status.BARU, privacy=Privacy.PUBLIK, description='Uraian.',
                          reported_at=AT)
    children = [sla.new_clock(category, kind, AT) for kind in ClockKind]
    children.append(TimelineEvent(kind=EventKind.SUBMITTED, is_public=True, actor='Sistem', created_at=AT,
                                  message='Aduan diterima.'))
    return complaint, children


async def test_rows_are_written_with_their_ids_and_link():
    complaint, children = await _family('AAAA0001')
    await writes.insert_family(complaint, children, link='complaint')
    assert complaint.pk is not None and all(child.pk is not None for child in children)
    stored = await SlaClock.filter(complaint_id=complaint.pk).order_by('id').values_list('id', 'kind')
    assert stored == [(children[0].pk, ClockKind.FIRST_RESPONSE), (children[1].pk, ClockKind.RESOLUTION)]
    assert (await TimelineEvent.get(id=children[2].pk)).complaint_id == complaint.pk
    assert children[2].complaint is complaint


async def test_a_refused_row_leaves_nothing_behind():
    complaint, children = await _family('AAAA0002')
    await writes.insert_family(complaint, children, link='complaint')
    again, more = await _family('AAAA0003')
    more[1].breached_agency_id = 999_999  # no such OPD: the third statement fails after two succeeded
    with pytest.raises(IntegrityError):
        await writes.insert_family(again, more, link='complaint')
    assert await Complaint.filter(code_key='AAAA0003').count() == 0
    assert await SlaClock.all().count() == 2 and await TimelineEvent.all().count() == 1
    duplicate, rest = await _family('AAAA0002')  # the unique code refuses the first statement
    with pytest.raises(IntegrityError):
        await writes.insert_family(duplicate, rest, link='complaint')
    assert await Complaint.all().count() == 1


async def test_inside_a_transaction_it_joins_it_and_rolls_back_with_it():
    complaint, children = await _family('AAAA0004')
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await writes.insert_family(complaint, children, link='complaint')
            assert await Complaint.filter(code_key='AAAA0004').count() == 1
            raise RuntimeError('undo')
    assert await Complaint.filter(code_key='AAAA0004').count() == 0
    assert await SlaClock.all().count() == 0
