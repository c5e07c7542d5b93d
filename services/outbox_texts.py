"""What the outbox says: short Indonesian texts for reporters (an SMS within 160 GSM-7 characters where it can)
and notices for staff.

Rules every text keeps: a reporter's always carries the tracking link; none carries the PIN (it is never
stored in clear, and nothing here is given it); a ``rahasia`` complaint's texts carry no typed words at all
(no title, question, response, reason or comment), only its code, its state and its OPD, which anyone with
the code may see.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .settings import settings

SMS_LIMIT = 160  # GSM-7 units in one SMS
NOTICE_LIMIT = 300  # models.Notification.message

# GSM 03.38: the basic set costs one unit a character, the extension set two (an escape and the character)
_GSM_BASIC = frozenset(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿'
    'abcdefghijklmnopqrstuvwxyzäöñüà')
_GSM_EXTENDED = frozenset('^{}\\[~]|€\f')
# Characters phones and keyboards put in typed text that have a plain GSM-7 twin; one outside GSM-7 would
# turn the whole SMS into UCS-2, where one part holds 70 characters instead of 160
_PLAIN = str.maketrans({'‘': "'", '’': "'", '‚': "'", '“': '"', '”': '"', '„': '"', '–': '-', '—': '-',
                        '…': '...', '\u00a0': ' ', '•': '-', '×': 'x', '\t': ' '})


@dataclass(frozen=True, slots=True)
class Text:
    subject: str  # for email
    sms: str  # one SMS: the reporter's short line with the link
    body: str  # for email: the short line, what the staff wrote (not for rahasia), the link


def tracking_url(code: str) -> str:
    return f'{settings.public_url.rstrip("/")}/lacak/{code}'


def staff_url(code: str) -> str:
    return f'{settings.public_url.rstrip("/")}/admin/aduan/{code}'


def gsm7_units(text: str) -> int | None:
    """How many GSM-7 units ``text`` takes, or None when a character is outside GSM-7 (the SMS goes as UCS-2)."""
    units = 0
    for character in text:
        if character in _GSM_BASIC:
            units += 1
        elif character in _GSM_EXTENDED:
            units += 2
        else:
            return None
    return units


def plain(text: str) -> str:
    """Typed text for an SMS: one line, typographic punctuation as its GSM-7 twin, accents dropped where a letter
    has none in GSM-7 (ç stays Ç only in capitals there)."""
    text = ' '.join(text.translate(_PLAIN).split())
    out = []
    for character in text:
        if character in _GSM_BASIC or character in _GSM_EXTENDED:
            out.append(character)
            continue
        base = unicodedata.normalize('NFKD', character)
        stripped = ''.join(c for c in base if not unicodedata.combining(c))
        out.append(stripped if stripped and all(c in _GSM_BASIC for c in stripped) else character)
    return ''.join(out)


def fit(template: str, variable: str, limit: int = SMS_LIMIT) -> str:
    """``template`` with ``{}`` replaced by as much of ``variable`` as keeps the whole within ``limit`` (GSM-7
    units when it encodes so, characters otherwise), shortened with '...'."""
    whole = template.format(variable)
    if _length(whole) <= limit:
        return whole
    room = limit - _length(template.format('')) - 3
    cut = variable[:max(room, 0)]  # a character is at least one unit: trimming starts from the room, not 5,000
    while cut and _length(cut) > max(room, 0):
        cut = cut[:-1]
    return template.format(cut.rstrip() + '...' if cut else '')


def _length(text: str) -> int:
    units = gsm7_units(text)
    return units if units is not None else len(text)


def _app() -> str:
    return plain(settings.app_name)


_FOOTER = ('Untuk melihat isi aduan rahasia atau menjawab petugas, buka tautan di atas dan masukkan PIN yang Anda '
           'terima saat mengirim aduan. Jangan berikan PIN kepada siapa pun, termasuk petugas.')


# move -> (the subject's end, the sentence, the words before the link); {code} and {agency} are filled in
_REPORTER = {
    'submitted': ('diterima', 'aduan {code} sudah kami terima.', 'Pantau perkembangannya di'),
    'dispatch': ('diteruskan ke OPD', 'aduan {code} diteruskan ke {agency} untuk ditangani.', 'Pantau di'),
    'reassign': ('diteruskan ke OPD', 'aduan {code} diteruskan ke {agency} untuk ditangani.', 'Pantau di'),
    'respond': ('ditanggapi petugas', 'aduan {code} sudah ditanggapi petugas.', 'Baca di'),
    'wait': ('menunggu jawaban Anda', 'petugas menunggu jawaban Anda tentang aduan {code}.',
             'Baca pertanyaannya dan jawab di'),
    'resolve': ('selesai ditangani', 'aduan {code} sudah selesai ditangani.', 'Mohon beri penilaian Anda di'),
    'reject': ('tidak dapat ditindaklanjuti', 'aduan {code} tidak dapat kami tindak lanjuti.',
               'Alasannya dapat dibaca di'),
    'auto_close': ('ditutup', 'aduan {code} sudah ditutup. Terima kasih atas laporan Anda.', 'Lihat di'),
    'merge': ('digabung', 'aduan {code} digabung dengan aduan lain tentang masalah yang sama.',
              'Perkembangannya tetap dapat dipantau di'),
}

REPORTER_MOVES = tuple(_REPORTER)


def reporter(move: str, *, code: str, rahasia: bool, message: str = '', agency: str | None = None,
             follower: bool = False) -> Text | None:
    """The reporter's message for ``move``, or None when the reporter hears nothing of it. A ``follower`` (the
    reporter of a complaint merged into the one that moved; ``code`` is theirs) is not asked to answer or rate: the
    survivor's reporter is."""
    if move not in _REPORTER or (follower and move in ('wait', 'merge')):
        return None
    ending, sentence, before_link = _REPORTER[move]
    if follower and move == 'resolve':
        before_link = 'Lihat di'
    url = tracking_url(code)
    said = '' if rahasia else ' '.join((message or '').split())  # what staff typed: never for a rahasia complaint
    if move == 'wait' and said:  # the question itself, as much of it as one SMS holds
        sms = fit(f'{_app()} {code}, petugas bertanya: "{{}}" Jawab di {url}', plain(said))
    else:
        template = f'{_app()}: {sentence.format(code=code, agency="{}")} {before_link} {url}'
        sms = fit(template, plain(agency or 'instansi terkait'))
    first = sentence.format(code=code, agency=agency or 'instansi terkait')
    lines = ['Yth. Pelapor,', '', first[:1].upper() + first[1:]]
    if said and move in ('respond', 'wait', 'resolve', 'reject'):
        lines += ['', 'Pesan petugas:', (message or '').strip()]
    lines += ['', f'Lacak aduan Anda: {url}', '', _FOOTER, '', '--',
              f'Pesan otomatis dari {settings.app_name} {settings.region_name}. Mohon tidak membalas email ini.']
    return Text(subject=f'Aduan {code} {ending}', sms=sms, body='\n'.join(lines))


@dataclass(frozen=True, slots=True)
class Notice:
    kind: str  # Notification.kind
    message: str  # the bell's line, and the email's subject and first line


def staff(move: str, *, code: str, rahasia: bool, message: str = '', agency: str | None = None,
          title: str | None = None, rating: int | None = None) -> Notice | None:
    """The staff's notice for ``move``, or None when staff hear nothing of it (their own moves, at-risk and
    breach are notified elsewhere)."""
    said = '' if rahasia else ' '.join((message or '').split())
    about = '' if rahasia or not title else f': {title}'
    if move in ('submitted', 'dispatch', 'reassign'):
        kind, text = 'new_complaint', f'{code}: aduan baru untuk {agency or "OPD Anda"}{about}'
    elif move == 'hand_back':
        kind, text = 'handed_back', f'{code} dikembalikan oleh {agency or "OPD"}' + (f': {said}' if said else '')
    elif move == 'add_info':
        kind, text = 'info_added', f'{code}: pelapor menambahkan informasi' + (f': {said}' if said else '.')
    elif move == 'reopen':
        kind, text = 'reopened', f'{code} dibuka kembali oleh pelapor' + (f': {said}' if said else '.')
    elif move == 'rate' and rating is not None and rating <= 2:
        kind, text = 'low_rating', f'{code} mendapat penilaian {rating} dari 5' + (f': {said}' if said else '.')
    else:
        return None
    return Notice(kind=kind, message=text if len(text) <= NOTICE_LIMIT else text[:NOTICE_LIMIT - 1] + '…')


def staff_email(notice: Notice, *, code: str) -> tuple[str, str]:
    """(subject, body) of a notice by email."""
    subject = notice.message if len(notice.message) <= 120 else notice.message[:119] + '…'
    body = '\n'.join([notice.message, '', f'Buka aduan: {staff_url(code)}', '', '--',
                      f'Pesan otomatis dari {settings.app_name} {settings.region_name}. Alamat email ini diatur '
                      'oleh supervisor di Pengaturan › Pengguna.'])
    return subject, body
