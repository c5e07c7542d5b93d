"""Reference data for Kabupaten Wonosobo, inserted once on first start.

After the first start the database is the source of truth: supervisors edit OPDs, categories and
response templates there, and seeding never overwrites an existing row (it only adds rows whose code
is missing, and templates only while there are none at all).
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from models import Agency, Category, District, ResponseTemplate, ScreeningCriterion

DISTRICTS = (
    'Wadaslintang', 'Kepil', 'Sapuran', 'Kalibawang', 'Kaliwiro', 'Leksono', 'Sukoharjo', 'Selomerto',
    'Kalikajar', 'Kertek', 'Wonosobo', 'Watumalang', 'Mojotengah', 'Garung', 'Kejajar',
)

# (code, name, short name)
AGENCIES = (
    ('DPUPR', 'Dinas Pekerjaan Umum dan Penataan Ruang', 'DPUPR'),
    ('DINKES', 'Dinas Kesehatan', 'Dinkes'),
    ('DISDIKPORA', 'Dinas Pendidikan, Pemuda dan Olahraga', 'Disdikpora'),
    ('DISDUKCAPIL', 'Dinas Kependudukan dan Pencatatan Sipil', 'Disdukcapil'),
    ('DINSOSPMD', 'Dinas Sosial, Pemberdayaan Masyarakat dan Desa', 'Dinsos PMD'),
    ('DLH', 'Dinas Lingkungan Hidup', 'DLH'),
    ('DISPERKIMHUB', 'Dinas Perumahan, Kawasan Permukiman dan Perhubungan', 'Disperkimhub'),
    ('SATPOLPP', 'Satuan Polisi Pamong Praja', 'Satpol PP'),
    ('BPBD', 'Badan Penanggulangan Bencana Daerah', 'BPBD'),
    ('DPMPTSP', 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu', 'DPMPTSP'),
    ('DISPARBUD', 'Dinas Pariwisata dan Kebudayaan', 'Disparbud'),
    ('DISPAPERKAN', 'Dinas Pertanian, Pangan dan Perikanan', 'Dispaperkan'),
    ('DISDAGKOPUKM', 'Dinas Perdagangan, Koperasi, Usaha Kecil dan Menengah', 'Disdagkopukm'),
    ('DISNAKERTRANS', 'Dinas Tenaga Kerja, Perindustrian dan Transmigrasi', 'Disnakertrans'),
    ('DISKOMINFO', 'Dinas Komunikasi dan Informatika', 'Diskominfo'),
    ('BPPKAD', 'Badan Pengelolaan Pendapatan, Keuangan dan Aset Daerah', 'BPPKAD'),
    ('RSUD', 'RSUD KRT Setjonegoro', 'RSUD Setjonegoro'),
    ('PDAM', 'Perumda Air Minum Tirta Aji', 'PDAM Tirta Aji'),
)

# (code, name, description, agency code or None)
CATEGORIES = (
    ('JALAN', 'Jalan rusak atau berlubang', 'Jalan kabupaten rusak, berlubang, longsor', 'DPUPR'),
    ('JEMBATAN', 'Jembatan, saluran dan drainase', 'Jembatan rusak, saluran tersumbat, banjir genangan', 'DPUPR'),
    ('PJU', 'Lampu penerangan jalan umum', 'Lampu jalan mati, berkedip atau tiang roboh', 'DISPERKIMHUB'),
    ('LALIN', 'Transportasi dan lalu lintas', 'Rambu, marka, angkutan umum, parkir', 'DISPERKIMHUB'),
    ('SAMPAH', 'Sampah dan kebersihan', 'Sampah tidak diangkut, TPS penuh, pembuangan liar', 'DLH'),
    ('LINGKUNGAN', 'Pencemaran lingkungan', 'Pencemaran air, udara, bau, limbah', 'DLH'),
    ('AIR', 'Air bersih (PDAM)', 'Air mati, keruh, pipa bocor, tagihan', 'PDAM'),
    ('PUSKESMAS', 'Layanan puskesmas', 'Pelayanan puskesmas, posyandu, obat', 'DINKES'),
    ('RSUD', 'Layanan RSUD', 'Pelayanan rumah sakit daerah, rujukan, antrean', 'RSUD'),
    ('PENDIDIKAN', 'Sekolah dan pendidikan', 'Sekolah, PPDB, guru, fasilitas olahraga', 'DISDIKPORA'),
    ('ADMINDUK', 'Administrasi kependudukan', 'KTP-el, KK, akta kelahiran, pindah datang', 'DISDUKCAPIL'),
    ('BANSOS', 'Bantuan sosial', 'Bantuan sosial, data kemiskinan, program desa', 'DINSOSPMD'),
    ('KETERTIBAN', 'Ketertiban umum', 'PKL, bangunan liar, gangguan ketertiban', 'SATPOLPP'),
    ('BENCANA', 'Bencana dan kedaruratan', 'Longsor, banjir, pohon tumbang, kebakaran', 'BPBD'),
    ('PERIZINAN', 'Perizinan dan investasi', 'Izin usaha, PBG, pelayanan terpadu', 'DPMPTSP'),
    ('WISATA', 'Pariwisata dan kebudayaan', 'Objek wisata, retribusi wisata, cagar budaya', 'DISPARBUD'),
    ('PERTANIAN', 'Pertanian dan pangan', 'Pupuk, irigasi tani, hama, harga pangan', 'DISPAPERKAN'),
    ('PASAR', 'Pasar dan UMKM', 'Pasar daerah, timbangan, koperasi, UMKM', 'DISDAGKOPUKM'),
    ('TENAGAKERJA', 'Ketenagakerjaan', 'Upah, PHK, pelatihan kerja, pekerja migran', 'DISNAKERTRANS'),
    ('DIGITAL', 'Internet dan layanan digital', 'Situs dan aplikasi pemerintah, internet desa', 'DISKOMINFO'),
    ('PAJAK', 'Pajak daerah dan PBB', 'PBB, pajak daerah, retribusi', 'BPPKAD'),
    ('LAINNYA', 'Lainnya', 'Belum tahu instansinya? Pilih ini, petugas akan meneruskan', None),
)

# (title, body, agency code or None for every OPD): a starting set that shows admins what a good answer
# reads like. The reporter cannot reply on the tracking page, so no template asks them to; none promises a
# date either, only what happens next and where they will read about it.
RESPONSE_TEMPLATES = (
    ('Respons awal: aduan diterima, lokasi akan dicek',
     'Terima kasih atas laporan Anda. Aduan ini sudah kami terima dan sedang kami pelajari. Petugas kami akan '
     'memeriksa lokasi secepatnya, dan hasilnya akan kami sampaikan di halaman ini.', None),
    ('Tindak lanjut: penanganan sedang berjalan',
     'Kami sampaikan perkembangan aduan Anda: hasil pemeriksaan petugas sudah kami terima dan penanganannya '
     'sedang berjalan. Kabar berikutnya akan kami sampaikan di halaman ini. Terima kasih atas kesabaran Anda.',
     None),
    ('Minta informasi pelapor: lokasi dan foto',
     'Terima kasih atas laporan Anda. Agar dapat kami tindak lanjuti, kami memerlukan keterangan tambahan: '
     'lokasi yang lebih tepat (nama jalan, RT/RW, atau patokan terdekat) dan, bila ada, foto terbaru. Petugas '
     'kami akan menghubungi Anda melalui nomor yang Anda cantumkan. Anda juga dapat menyampaikannya melalui '
     'Call Center 112 dengan menyebutkan kode aduan ini.', None),
    ('Selesai: masalah sudah ditangani',
     'Masalah yang Anda laporkan sudah selesai kami tangani. Terima kasih telah membantu kami memperbaiki '
     'layanan. Bila masalahnya muncul kembali, silakan laporkan lagi melalui Lapor atau Call Center 112.', None),
    ('Jalan rusak: masuk jadwal perbaikan',
     'Terima kasih atas laporan Anda. Tim DPUPR sudah meninjau ruas jalan tersebut dan memasukkannya ke jadwal '
     'perbaikan. Sambil menunggu, mohon berhati-hati saat melintas. Perkembangannya akan kami sampaikan di '
     'halaman ini.', 'DPUPR'),
    ('Layanan kesehatan: diteruskan ke puskesmas',
     'Terima kasih atas masukan Anda tentang layanan kesehatan. Laporan ini sudah kami teruskan kepada kepala '
     'puskesmas yang bersangkutan untuk diperiksa dan dibenahi. Hasilnya akan kami sampaikan di halaman ini. '
     'Bila Anda membutuhkan pertolongan medis segera, silakan datang ke IGD terdekat atau hubungi Call Center 112.',
     'DINKES'),
)

# The SOP takes social-media posts "with special criteria": the checklist an operator answers for each post,
# (text, required). Supervisors edit it; a post passes only when every required line holds.
SCREENING_CRITERIA = (
    ('Menyangkut layanan publik Pemerintah Kabupaten Wonosobo', True),
    ('Lokasi masalah dapat diketahui (kecamatan atau desa)', True),
    ('Bukan ujaran kebencian, SARA, atau hoaks', True),
    ('Bukan sengketa pribadi antarwarga', True),
    ('Belum pernah dilaporkan (bukan aduan ganda)', False),
)


async def seed_reference_data() -> None:
    """Insert missing districts, agencies and categories, and the starting response templates when there are
    none (idempotent, never overwrites)."""
    async with in_transaction():
        existing = set(await District.all().values_list('code', flat=True))
        await District.bulk_create([District(code=name.upper(), name=name)
                                    for name in DISTRICTS if name.upper() not in existing])
        existing = set(await Agency.all().values_list('code', flat=True))
        await Agency.bulk_create([Agency(code=code, name=name, short_name=short)
                                  for code, name, short in AGENCIES if code not in existing])
        agencies = {a.code: a for a in await Agency.all()}
        existing = set(await Category.all().values_list('code', flat=True))
        await Category.bulk_create([
            Category(code=code, name=name, description=description,
                     agency=agencies.get(agency_code) if agency_code else None,
                     sort_order=999 if agency_code is None else index)
            for index, (code, name, description, agency_code) in enumerate(CATEGORIES)
            if code not in existing])
        # Templates have no code to match on: any row (even one a supervisor deactivated) means they were seeded
        # or written by hand, and a deactivated one must not come back on the next start
        if not await ResponseTemplate.exists():
            await ResponseTemplate.bulk_create([
                ResponseTemplate(title=title, body=body, agency=agencies.get(agency_code) if agency_code else None)
                for title, body, agency_code in RESPONSE_TEMPLATES if agency_code is None or agency_code in agencies])
        if not await ScreeningCriterion.exists():  # as templates: once, so a removed line stays removed
            await ScreeningCriterion.bulk_create([
                ScreeningCriterion(text=text, required=required, position=index)
                for index, (text, required) in enumerate(SCREENING_CRITERIA)])
