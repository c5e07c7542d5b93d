"""Indonesian labels of domain values, shared by pages, the API's notices and messages."""

from models import ClockKind, EventKind, Privacy, Role, Status

STATUS_LABELS = {
    Status.BARU: 'Baru, menunggu verifikasi',
    Status.DIDISPOSISIKAN: 'Diteruskan ke OPD',
    Status.DIRESPONS: 'Sudah direspons',
    Status.DITINDAKLANJUTI: 'Sedang ditindaklanjuti',
    Status.MENUNGGU_PELAPOR: 'Menunggu informasi pelapor',
    Status.SELESAI: 'Selesai',
    Status.DITOLAK: 'Ditolak',
    Status.DITUTUP: 'Ditutup',
}

PRIVACY_LABELS = {
    Privacy.PUBLIK: ('Publik', 'Isi aduan dapat dilihat siapa pun yang memegang kodenya. Nomor HP dan email tetap '
                               'rahasia.'),
    Privacy.ANONIM: ('Anonim', 'Isi aduan dapat dilihat, tetapi nama Anda hanya diketahui petugas.'),
    Privacy.RAHASIA: ('Rahasia', 'Isi dan identitas hanya dilihat petugas yang menangani, dan oleh Anda dengan kode '
                                 'dan PIN.'),
}

CLOCK_LABELS = {
    ClockKind.FIRST_RESPONSE: 'Respons awal',
    ClockKind.RESOLUTION: 'Penyelesaian',
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
    EventKind.NOTE: 'Catatan',
    EventKind.SLA_AT_RISK: 'Batas waktu mendekat',
    EventKind.SLA_BREACHED: 'Batas waktu terlampaui',
}

ROLE_LABELS = {
    Role.SUPERVISOR: 'Supervisor',
    Role.OPD_ADMIN: 'Admin OPD',
    Role.OPERATOR: 'Operator',
    Role.VIEWER: 'Pemantau',
}
