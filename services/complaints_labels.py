"""Indonesian labels of domain values, shared by pages, the CLI, the API's notices and messages.

The one place that names a status, a privacy choice, a channel, a role, a clock or a calendar for people: no page
or command shows the stored code ("web", "rahasia", "opd_admin") itself.
"""

from models import Channel, ClockKind, EventKind, OutboxStatus, Privacy, Recipient, Role, SlaCalendar, Status, Transport

STATUS_LABELS = {
    Status.BARU: 'Baru, menunggu verifikasi',
    Status.DIDISPOSISIKAN: 'Diteruskan ke OPD',
    Status.DIRESPONS: 'Sudah direspons',
    Status.DITINDAKLANJUTI: 'Sedang ditindaklanjuti',
    Status.MENUNGGU_PELAPOR: 'Menunggu informasi pelapor',
    Status.SELESAI: 'Selesai',
    Status.DITOLAK: 'Ditolak',
    Status.DITUTUP: 'Ditutup',
    Status.DIGABUNG: 'Digabung ke aduan lain',
}

# What each choice really shows, and to whom (the submit form says it): the tracking page and Open311 hide a
# rahasia complaint's content without the PIN (PublicView.for_viewer) and never list it (public_list); among staff
# only a supervisor or the handling OPD's admin reads it (workflow.rahasia_hidden). No public view carries the
# reporter's name or contact, which those same two roles alone can open, logged (staff_view.contact). Publik and
# anonim are therefore shown alike today, and the texts say so.
PRIVACY_LABELS = {
    Privacy.PUBLIK: ('Publik', 'Isi, foto, dan lokasi aduan dapat dilihat siapa pun yang memegang kodenya, dan tampil '
                               'di daftar aduan publik bila Pemerintah Kabupaten membuka daftar itu. Nama, nomor HP, '
                               'dan email Anda tidak pernah ditampilkan kepada umum.'),
    Privacy.ANONIM: ('Anonim', 'Sama seperti Publik: isi, foto, dan lokasi terlihat oleh pemegang kode dan di daftar '
                               'publik bila dibuka. Nama dan kontak Anda hanya dapat dibuka admin OPD yang menangani '
                               'dan supervisor Diskominfo, dan setiap pembukaan tercatat.'),
    Privacy.RAHASIA: ('Rahasia', 'Isi, foto, lokasi, dan riwayat aduan hanya dibaca admin OPD yang menangani dan '
                                 'supervisor Diskominfo (setiap pembukaan tercatat), serta oleh Anda dengan kode dan '
                                 'PIN. Tanpa PIN, pemegang kode hanya melihat status, kategori, OPD, dan batas '
                                 'waktunya. Tidak pernah tercantum di daftar aduan mana pun.'),
}

CHANNEL_LABELS = {
    Channel.WEB: 'Web',
    Channel.API: 'API mitra',
    Channel.CALL_CENTER: 'Call Center 112',
    Channel.SOCIAL_MEDIA: 'Media sosial',
    Channel.WHATSAPP: 'WhatsApp',
    Channel.WALK_IN: 'Datang langsung',
    Channel.LETTER: 'Surat',
}

CLOCK_LABELS = {
    ClockKind.FIRST_RESPONSE: 'Respons awal',
    ClockKind.RESOLUTION: 'Penyelesaian',
}

# A clock's state (services.sla.SlaState's values), as the board's filter and the complaint page say it (there
# in lower case, within a sentence)
SLA_STATE_LABELS = {
    'on_track': 'Aman',
    'at_risk': 'Berisiko',
    'breached': 'Terlambat',
    'paused': 'Dijeda',
    'met': 'Tepat waktu',
    'late': 'Terlambat',
    'rejected': 'Tidak dihitung',
    'merged': 'Digabung, tidak dihitung',
}

CALENDAR_LABELS = {
    SlaCalendar.ROUND_THE_CLOCK: 'Sepanjang waktu',
    SlaCalendar.WORKING_HOURS: 'Jam kerja',
}

# What a countdown says in each state; components/sla_clock.js puts the time in {span} ({d} days and {h} hours when
# over a day, else hh:mm:ss) and keeps no words of its own. Paused says nothing of time: the deadline moves on resume.
COUNTDOWN_LABELS = {
    'on_track': 'sisa {span}',
    'at_risk': 'berisiko, sisa {span}',
    'breached': 'lewat {span}',
    'paused': 'dijeda',
    'met': 'tepat waktu',
    'late': 'terlambat',
    'rejected': 'tidak dihitung',
    'merged': 'digabung, tidak dihitung',
    'days': '{d} hari {h} jam',
}

EVENT_LABELS = {
    EventKind.SUBMITTED: 'Aduan diterima',
    EventKind.DISPATCHED: 'Didisposisikan',
    EventKind.REASSIGNED: 'Dialihkan',
    EventKind.HANDED_BACK: 'Dikembalikan',
    EventKind.REJECTED: 'Ditolak',
    EventKind.RESPONDED: 'Respons',
    EventKind.FOLLOW_UP: 'Tindak lanjut',
    EventKind.WAITING: 'Menunggu pelapor',
    EventKind.RESOLVED: 'Selesai',
    EventKind.REOPENED: 'Dibuka kembali',
    EventKind.INFO_ADDED: 'Informasi dari pelapor',
    EventKind.RATED: 'Penilaian pelapor',
    EventKind.CLOSED: 'Ditutup',
    EventKind.NOTE: 'Catatan',
    EventKind.SLA_AT_RISK: 'Batas waktu mendekat',
    EventKind.SLA_BREACHED: 'Batas waktu terlampaui',
    EventKind.MERGED: 'Penggabungan aduan',
}

ROLE_LABELS = {
    Role.SUPERVISOR: 'Supervisor',
    Role.OPD_ADMIN: 'Admin OPD',
    Role.OPERATOR: 'Operator',
    Role.VIEWER: 'Pemantau',
}

OUTBOX_STATUS_LABELS = {
    OutboxStatus.PENDING: 'Menunggu',
    OutboxStatus.SENT: 'Terkirim',
    OutboxStatus.FAILED: 'Gagal',
}

RECIPIENT_LABELS = {Recipient.REPORTER: 'Pelapor', Recipient.STAFF: 'Petugas'}

TRANSPORT_LABELS = {Transport.EMAIL: 'Email', Transport.WEBHOOK: 'SMS/WhatsApp'}
