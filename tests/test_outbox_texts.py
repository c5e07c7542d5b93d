"""What the outbox says: one SMS per reporter message with a typical code and address, and the link always."""

import pytest

from services import outbox_texts
from services.settings import settings


@pytest.mark.parametrize('move', ['submitted', 'dispatch', 'reassign', 'respond', 'wait', 'resolve', 'reject',
                                  'auto_close'])
async def test_each_reporter_sms_fits_one_gsm7_message(monkeypatch, move):
    monkeypatch.setattr(settings, 'public_url', 'https://lapor.wonosobokab.go.id')
    question = ('Apakah “lubang” itu sudah ada lebih dari dua minggu? Mohon kirim foto dari dekat — dan sebutkan nomor '
                'rumah terdekat.')
    for rahasia in (False, True):
        text = outbox_texts.reporter(move, code='WSB-7K3M-9QXD', rahasia=rahasia, message=question,
                                     agency='Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten')
        assert text is not None
        units = outbox_texts.gsm7_units(text.sms)
        assert units is not None and units <= 160, (units, text.sms)
        assert text.sms.endswith('https://lapor.wonosobokab.go.id/lacak/WSB-7K3M-9QXD')
        assert 'https://lapor.wonosobokab.go.id/lacak/WSB-7K3M-9QXD' in text.body
    if move == 'wait':  # the question, cut to fit, with its typographic quotes made plain
        text = outbox_texts.reporter(move, code='WSB-7K3M-9QXD', rahasia=False, message=question)
        assert 'petugas bertanya: "Apakah "lubang" itu sudah ada' in text.sms and '..."' in text.sms
        assert question in text.body  # the email has all of it


def test_gsm7_counts_the_extension_set_twice_and_knows_what_it_cannot_encode():
    assert outbox_texts.gsm7_units('Rp 10.000 [lunas]') == 19
    assert outbox_texts.gsm7_units('cafe ☕') is None
    assert outbox_texts.plain('“Jalan” — rusak… ') == '"Jalan" - rusak...'
