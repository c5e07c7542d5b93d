"""Reference data for Kabupaten Wonosobo, inserted once on first start.

After the first start the database is the source of truth: supervisors edit OPDs and categories
there, and seeding never overwrites an existing row (it only adds rows whose code is missing).
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from models import Agency, Category, District

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


async def seed_reference_data() -> None:
    """Insert missing districts, agencies and categories (idempotent, never overwrites)."""
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
