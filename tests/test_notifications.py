"""In-app notices: a breach tells the supervisors, an at-risk clock tells the OPD, live in the header."""

import re
from datetime import timedelta

import pytest
from nicegui.testing import User

from components import frame
from models import Notification
from models import User as StaffUser
from services import auth, clock, notifications, sla_engine
from tests import factories
from tests.staff import ADMIN_PASSWORD, PASSWORD, on_board


@pytest.fixture(autouse=True)
def _fresh_throttle(monkeypatch):
    monkeypatch.setattr(auth, 'throttle', auth.LoginThrottle())


def _bell_text(user: User) -> str:
    return user.find(marker='notifications').elements.pop().text


async def test_a_breach_shows_on_the_supervisors_header_live_and_can_be_cleared(user: User):
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR')
    result = await factories.submit()
    await on_board(user, 'admin', ADMIN_PASSWORD)
    assert _bell_text(user) == 'Pemberitahuan'
    await sla_engine.record_due_transitions(clock.now() + timedelta(hours=3))  # at risk, then breached
    await factories.eventually(lambda: _bell_text(user) == 'Pemberitahuan (1)')  # no reload
    user.find(marker='notifications').click()
    await user.should_see(f'{result.code}: batas respons awal terlampaui', retries=30)
    user.find(marker='notices-read').click()
    await factories.eventually(lambda: _bell_text(user) == 'Pemberitahuan')
    admin = await StaffUser.get(username='admin')
    assert await notifications.unread(user_id=admin.id) == []


@pytest.mark.usefixtures('database')
async def test_at_risk_goes_to_the_handling_opds_admins_only():
    await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR')
    await auth.create_user(username='dinkes', password=PASSWORD, role='opd_admin', agency_code='DINKES')
    result = await factories.submit()  # a road complaint: DPUPR
    await sla_engine.record_due_transitions(clock.now() + timedelta(minutes=100))  # at risk, not yet breached
    by_user = {n.user.username: n.message
               for n in await Notification.filter(kind='sla_at_risk').prefetch_related('user')}
    assert by_user == {'dpupr': f'{result.code}: batas respons awal tinggal kurang dari seperempat waktu.'}



def _css_for(selector: str) -> str:
    """The declarations the app's stylesheet gives ``selector`` (in any of its rules' selector lists)."""
    css = re.sub(r'/\*.*?\*/', '', (frame.STATIC_DIR / 'lapor.css').read_text(), flags=re.DOTALL)
    return ' '.join(body for selectors, body in re.findall(r'([^{}]+)\{([^}]*)\}', css)
                    if selector in (s.strip() for s in selectors.split(',')))


async def test_the_notices_dialog_has_a_normal_sized_heading(user: User):
    await on_board(user, 'admin', ADMIN_PASSWORD)
    user.find(marker='notifications').click()
    await user.should_see(marker='notices-title', retries=30)
    heading = user.find(marker='notices-title').elements.pop()
    assert heading.content == '<h2>Pemberitahuan</h2>'
    card = heading.parent_slot.parent
    assert 'lapor-notices' in card.classes
    # Quasar's own h2 is 3.75rem (a 60 px title): the dialog's heading gets the cards' heading size instead
    assert 'font-size: 1.15rem' in _css_for('.lapor-notices h2')
    assert _css_for('.lapor-notices h2') == _css_for('.lapor-card h2')
