"""Bringing a complaint to a state the way production does: by walking the workflow map's moves.

No test writes a status itself: every state a test stands on was reached by moves the map allows, made by
the people the map names.
"""

from __future__ import annotations

from typing import Any

from models import Agency, Complaint, Role, Status
from services import clock, complaints, workflow
from services.actor import Actor
from services.workflow import Action
from tests import factories


async def people() -> dict[str, Actor]:
    """Trusted actors (no session: as the CLI and service tests act) for the supervisor and two OPDs."""
    ids = dict(await Agency.all().values_list('code', 'id'))
    return {
        'supervisor': Actor(1, 'admin', 'Admin Diskominfo', Role.SUPERVISOR),
        'dpupr': Actor(2, 'dpupr', 'Admin DPUPR', Role.OPD_ADMIN, ids['DPUPR'], 'DPUPR'),
        'dinkes': Actor(3, 'dinkes', 'Admin Dinkes', Role.OPD_ADMIN, ids['DINKES'], 'Dinkes'),
        'operator': Actor(4, 'op112', 'Operator 112', Role.OPERATOR),
        'viewer': Actor(5, 'bupati', 'Bupati', Role.VIEWER),
    }


# The moves from a new DPUPR complaint (routed by its category: didisposisikan) to each state
PATHS: dict[Status, list[str]] = {
    Status.BARU: [Action.HAND_BACK],
    Status.DIDISPOSISIKAN: [],
    Status.DIRESPONS: [Action.RESPOND],
    Status.DITINDAKLANJUTI: [Action.RESPOND, Action.FOLLOW_UP],
    Status.MENUNGGU_PELAPOR: [Action.RESPOND, Action.WAIT],
    Status.SELESAI: [Action.RESPOND, Action.RESOLVE],
    Status.DITOLAK: [Action.REJECT],
    Status.DITUTUP: [Action.RESPOND, Action.RESOLVE, Action.AUTO_CLOSE],
    Status.DIGABUNG: [Action.MERGE],  # into a new complaint of its own (step)
}

_MESSAGES = {
    Action.HAND_BACK: 'Bukan jalan kabupaten.',
    Action.RESPOND: 'Terima kasih, laporan Anda kami terima dan segera kami tinjau.',
    Action.FOLLOW_UP: 'Tim sudah meninjau lokasi dan akan menambal.',
    Action.WAIT: 'Mohon kirim foto lokasi yang lebih jelas.',
    Action.RESOLVE: 'Lubang sudah ditambal.',
    Action.REJECT: 'Aduan ini bukan kewenangan pemerintah kabupaten.',
}


async def walk_to(status: Status, **submit_overrides: Any) -> complaints.Submitted:
    """A new DPUPR complaint (``factories.submit`` with the overrides) brought to ``status`` by the map."""
    submitted = await factories.submit(**submit_overrides)
    for action in PATHS[status]:
        await step(submitted.view.code_key, action)
    return submitted


async def step(code_key: str, action: str, *, message: str | None = None, by: str | None = None,
               agency: str | None = None, into: str | None = None) -> complaints.PublicView:
    """One staff or system move on the complaint as it is now, made by whom the map allows (``by`` names
    someone else, to see a refusal). A merge goes ``into`` that code, else into a new open complaint."""
    if action == Action.AUTO_CLOSE:  # the system's move: the sweep at the moment it falls due
        due = await Complaint.get(code_key=code_key).values_list('close_due_at', flat=True)
        assert due is not None, 'only a resolved complaint closes by itself'
        assert await workflow.close_due(max(due, clock.now()))
        return await complaints.public_view_by_key(code_key)
    who = (await people())[by or ('supervisor' if action in (Action.REJECT, Action.DISPATCH, Action.REASSIGN,
                                                             Action.MERGE) else 'dpupr')]
    if action == Action.MERGE and into is None:
        into = (await factories.submit()).code
    version = await Complaint.get(code_key=code_key).values_list('version', flat=True)
    agency_id = dict(await Agency.all().values_list('code', 'id'))[agency] if agency else None
    return await workflow.act(who, code_key=code_key, action=action, expected_version=version,
                              message=_MESSAGES.get(action, 'Pesan petugas.') if message is None else message,
                              agency_id=agency_id, into=into)
