"""Access cut off reaches pages already open: deactivated, moved to another OPD, signed out in another tab,
idle past the limit. Each staff action checks who acts at the moment it runs, not when the page loaded."""

from datetime import timedelta

import pytest
from nicegui.testing import User

from models import AccessLog, Complaint, Status, TimelineEvent
from models import User as StaffUser
from pages import session
from services import admin_settings, auth, clock, sessions
from services.complaints import Privacy
from services.workflow import Action, act
from tests import factories
from tests.staff import PASSWORD, on_board, supervisor


@pytest.fixture(autouse=True)
def _fresh_throttle(monkeypatch):
    monkeypatch.setattr(auth, 'throttle', auth.LoginThrottle())


async def _dpupr_admin() -> StaffUser:
    return await auth.create_user(username='dpupr', password=PASSWORD, role='opd_admin', agency_code='DPUPR',
                                  full_name='Admin DPUPR')


async def _change(member: StaffUser, **changes) -> None:
    """What a supervisor does on the staff settings page."""
    fields = {'full_name': member.full_name, 'role': member.role, 'agency_id': member.agency_id,
              'active': member.active, **changes}
    await admin_settings.update_user(await supervisor(), user_id=member.id, **fields)


async def _on_complaint_page(user: User, code: str) -> None:
    await user.open(f'/admin/aduan/{code}')
    await user.should_see(marker='action-respond')


async def _status(code: str) -> Status:
    return (await Complaint.get(code=code)).status


async def test_a_deactivated_admins_open_page_goes_to_the_login_without_a_click(user: User):
    member = await _dpupr_admin()
    result = await factories.submit()
    await on_board(user, 'dpupr')
    await _on_complaint_page(user, result.code)
    await _change(member, active=False)
    await user.should_see(marker='login', retries=30)
    await user.open(f'/admin/aduan/{result.code}')  # and a reload does not bring the page back
    await user.should_see(marker='login', retries=30)
    await user.should_not_see(result.view.title)


async def test_an_action_from_a_page_loaded_before_the_deactivation_is_refused_and_changes_nothing(user: User):
    member = await _dpupr_admin()
    result = await factories.submit(privacy=Privacy.RAHASIA)
    await on_board(user, 'dpupr')
    await _on_complaint_page(user, result.code)
    events_before = await TimelineEvent.filter(complaint__code=result.code).count()
    # deactivated where no announcement reaches this page (another instance, the database by hand)
    await StaffUser.filter(id=member.id).update(active=False)
    user.find(marker='message').type('Tim kami akan datang besok.')
    user.find(marker='action-respond').click()
    await user.should_see(marker='login', retries=30)
    assert await _status(result.code) == Status.DIDISPOSISIKAN
    assert await TimelineEvent.filter(complaint__code=result.code).count() == events_before


async def test_revealing_the_contact_from_a_page_loaded_before_the_deactivation_shows_nothing(user: User):
    member = await _dpupr_admin()
    result = await factories.submit()
    await on_board(user, 'dpupr')
    await _on_complaint_page(user, result.code)
    await StaffUser.filter(id=member.id).update(active=False)
    user.find(marker='show-contact').click()
    await user.should_see(marker='login', retries=30)
    await user.should_not_see('0812-3456-7890')
    assert not await AccessLog.filter(what='contact').exists()


async def test_a_moved_admins_board_shows_the_new_opds_queue_and_no_longer_the_old_ones(user: User):
    member = await _dpupr_admin()
    road = await factories.submit(title='Jalan berlubang di Kertek')  # JALAN goes to DPUPR
    clinic = await factories.submit(title='Puskesmas tutup siang hari', category_id=await factories.category_id(
        'PUSKESMAS'))
    await on_board(user, 'dpupr')
    await user.should_see(road.code)
    await user.should_not_see(clinic.code)
    dinkes = await factories.agency_id('DINKES')
    await _change(member, agency_id=dinkes)
    await user.should_see(clinic.code, retries=30)  # built again in the new OPD's scope, without a click
    await user.should_not_see(road.code)
    later = await factories.submit(title='Jalan amblas di Garung')
    await user.should_not_see(later.code)  # the old OPD's new complaints no longer arrive


async def test_signing_out_in_another_tab_sends_the_open_pages_to_the_login(user: User, create_user):
    await _dpupr_admin()
    result = await factories.submit()
    await on_board(user, 'dpupr')
    await _on_complaint_page(user, result.code)
    other_tab = create_user()
    other_tab.http_client.cookies = user.http_client.cookies  # the same browser: one session
    await other_tab.open('/logout')
    await other_tab.should_see(marker='login', retries=30)
    await user.should_see(marker='login', retries=30)
    assert await _status(result.code) == Status.DIDISPOSISIKAN


async def test_an_open_board_idle_past_the_limit_goes_to_the_login(user: User):
    await _dpupr_admin()
    await on_board(user, 'dpupr')
    clock.advance(sessions.idle_limit() - timedelta(minutes=1))
    await session.check_idle_pages()  # what the app's timer runs every few seconds
    await user.should_see(marker='queue')  # not yet
    clock.advance(timedelta(minutes=2))
    await session.check_idle_pages()
    await user.should_see(marker='login', retries=30)


async def test_a_board_stops_receiving_rows_the_moment_its_member_is_deactivated(user: User):
    member = await _dpupr_admin()
    await on_board(user, 'dpupr')
    queue = user.find(marker='queue').elements.pop()
    await _change(member, active=False)
    secret = await factories.submit(title='Aduan baru setelah dinonaktifkan')
    assert secret.code not in {row['code'] for row in queue.rows}
    await user.should_see(marker='login', retries=30)


@pytest.mark.usefixtures('database')
async def test_services_refuse_an_actor_whose_session_ended():
    member = await _dpupr_admin()
    actor = await auth.login(username='dpupr', password=PASSWORD, address='10.9.0.1')
    token, actor = await sessions.start(actor, address='10.9.0.1')
    result = await factories.submit()
    await sessions.end(token)
    with pytest.raises(sessions.SessionEnded):
        await act(actor, code_key=result.view.code_key, action=Action.RESPOND, expected_version=1,
                  message='Segera kami tangani.')
    assert await _status(result.code) == Status.DIDISPOSISIKAN
    assert await sessions.resume(token) is None
    assert member.active
