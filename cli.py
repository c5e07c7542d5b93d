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

COMMANDS = ('apikey', 'migrate')


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
    return parser


async def _run(args: argparse.Namespace) -> int:
    from services import apikeys, db  # noqa: PLC0415  (keeps `python main.py` startup free of CLI imports)
    from services.errors import DomainError  # noqa: PLC0415

    async with db.open_database():
        try:
            if args.command == 'migrate':
                print('Basis data mutakhir.')
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
