"""Shell commands: ``python main.py apikey create NAME`` and friends.

main.py hands over only when the first argument is one of these commands; anything else is left
alone, because NiceGUI's test fixtures run main.py with pytest's own command line.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import datetime

COMMANDS = ('apikey', 'migrate', 'user')


def is_command(argv: Sequence[str]) -> bool:
    return len(argv) > 1 and argv[1] in COMMANDS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='python main.py', description='Lapor: perintah administrasi')
    sub = parser.add_subparsers(dest='command', required=True)
    apikey = sub.add_parser('apikey', help='kunci API untuk Open311').add_subparsers(dest='action', required=True)
    apikey.add_parser('create', help='buat kunci baru (ditampilkan sekali)').add_argument('name')
    apikey.add_parser('list', help='daftar kunci')
    apikey.add_parser('revoke', help='cabut kunci').add_argument('name')
    sub.add_parser('migrate', help='terapkan migrasi basis data dan data acuan')
    user = sub.add_parser('user', help='akun petugas').add_subparsers(dest='action', required=True)
    create = user.add_parser('create', help='buat akun (kata sandi ditanyakan)')
    create.add_argument('username')
    create.add_argument('--role', required=True, choices=['supervisor', 'opd_admin', 'operator', 'viewer'])
    create.add_argument('--opd', help='kode OPD, wajib untuk opd_admin')
    create.add_argument('--name', default='', help='nama lengkap')
    user.add_parser('password', help='ganti kata sandi').add_argument('username')
    return parser


def _read_password() -> str:
    """Asked twice at a terminal; read from one line of standard input otherwise (scripts)."""
    import getpass  # noqa: PLC0415

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip('\n')
    first = getpass.getpass('Kata sandi: ')
    if getpass.getpass('Ulangi kata sandi: ') != first:
        raise SystemExit('Kata sandi tidak sama.')
    return first


async def _run(args: argparse.Namespace) -> int:
    from services import apikeys, auth, db  # noqa: PLC0415  (keeps `python main.py` startup free of CLI imports)
    from services.errors import DomainError  # noqa: PLC0415

    async with db.open_database():
        try:
            if args.command == 'migrate':
                print('Basis data mutakhir.')
            elif args.command == 'user' and args.action == 'create':
                await auth.create_user(username=args.username, password=_read_password(), role=args.role,
                                       agency_code=args.opd, full_name=args.name)
                print(f'Akun "{args.username}" ({args.role}) dibuat.')
            elif args.command == 'user':
                await auth.set_password(username=args.username, password=_read_password())
                print(f'Kata sandi "{args.username}" diganti.')
            elif args.action == 'create':
                key, raw = await apikeys.create(name=args.name)
                print(f'Kunci API "{key.name}" dibuat. Simpan sekarang, kunci ini tidak akan ditampilkan lagi:')
                print(raw)
            elif args.action == 'list':
                keys = await apikeys.all_keys()
                if not keys:
                    print('Belum ada kunci API. Buat dengan: python main.py apikey create NAMA')
                for key in keys:
                    state = 'dicabut' if key.revoked_at else 'aktif'
                    print(f'{key.name}\t{key.prefix}…\t{state}\tterakhir dipakai: {_local(key.last_used_at)}')
            elif args.action == 'revoke':
                await apikeys.revoke(name=args.name)
                print(f'Kunci API "{args.name}" dicabut.')
        except DomainError as error:
            print(error.message, file=sys.stderr)
            return 1
    return 0


def _local(moment: datetime | None) -> str:
    from services import clock  # noqa: PLC0415
    from services.settings import settings  # noqa: PLC0415

    return f'{clock.local(moment):%d-%m-%Y %H:%M} {settings.timezone_label}' if moment else '-'


def main(argv: Sequence[str]) -> int:
    return asyncio.run(_run(_parser().parse_args(argv)))
