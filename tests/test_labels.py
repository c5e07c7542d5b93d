"""Staff read words, not stored codes: the channel, the privacy choice and the role come from
services/complaints_labels.py on the board, on the complaint page and in the CLI (tests/test_cli.py)."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from models import Channel, ClockKind, EventKind, Privacy, Role, SlaCalendar, Status
from services import auth, complaints_labels
from services.sla import SlaState
from tests import factories
from tests.staff import ADMIN_PASSWORD, PASSWORD, on_board

LABELS = {Status: complaints_labels.STATUS_LABELS, Privacy: complaints_labels.PRIVACY_LABELS,
          Channel: complaints_labels.CHANNEL_LABELS, Role: complaints_labels.ROLE_LABELS,
          ClockKind: complaints_labels.CLOCK_LABELS, SlaCalendar: complaints_labels.CALENDAR_LABELS,
          EventKind: complaints_labels.EVENT_LABELS, SlaState: complaints_labels.SLA_STATE_LABELS}


@pytest.mark.parametrize('kind', LABELS, ids=lambda kind: kind.__name__)
def test_every_stored_value_has_its_label(kind):
    assert set(LABELS[kind]) == set(kind), f'{kind.__name__} values without a label, or labels without a value'


async def test_the_complaint_page_names_the_channel_and_the_privacy_in_words(user: User):
    secret = await factories.submit(privacy=Privacy.RAHASIA)
    partner = await factories.submit(channel=Channel.API, source='Aplikasi Desa', privacy=Privacy.ANONIM)
    await on_board(user, 'admin', ADMIN_PASSWORD)

    await user.open(f'/admin/aduan/{secret.code}')
    await user.should_see(marker='fact-channel')
    assert _text(user, 'fact-channel') == 'Web'
    assert _text(user, 'fact-privacy') == 'Rahasia'

    await user.open(f'/admin/aduan/{partner.code}')
    await user.should_see(marker='fact-channel')
    assert _text(user, 'fact-channel') == 'API mitra (Aplikasi Desa)'
    assert _text(user, 'fact-privacy') == 'Anonim'


async def test_the_board_row_names_the_channel_in_words(user: User):
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR')
    sent = await factories.submit()
    await on_board(user, 'dpupr')
    await user.should_see(f'{sent.code} · Web')
    await user.should_not_see(f'{sent.code} · web')
    await user.should_see('dpupr (Admin OPD)')  # the header names the role too
    await user.should_not_see('opd_admin')


def _text(user: User, marker: str) -> str:
    return user.find(marker=marker).elements.pop().text
