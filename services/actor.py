"""Who acts: a staff member as the services need to know them."""

from __future__ import annotations

from dataclasses import dataclass

from models import Role


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a staff member as the services need to know them."""

    user_id: int
    username: str
    name: str
    role: Role
    agency_id: int | None = None
    agency_name: str | None = None
    session_id: int | None = None  # the signed-in browser (services.sessions); None for the CLI and the system

    @property
    def shown_name(self) -> str:
        return self.agency_name or ('Diskominfo' if self.role == Role.SUPERVISOR else self.name)
