"""Studio users: argon2id password hashes, roles editor|approver|admin, sign-in. Passwords are never logged."""

from __future__ import annotations

from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, Field, SecretStr
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from ..errors import InputError
from .tables import StudioUser, utcnow
from .validate import validated

_hasher = PasswordHasher()  # argon2id with the library's current recommended cost
# Verified when the username is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")


class NewUser(BaseModel):
    username: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{1,31}$",
                          description="2-32 lowercase letters, digits, '_', '.' or '-'.")
    password: SecretStr = Field(min_length=8)
    role: Literal["editor", "approver", "admin"] = "editor"


class UsersMixin:
    def add_user(self, username: str, password: str, role: str = "editor", *, by: str = "cli") -> StudioUser:
        """Create a studio user with an argon2id-hashed password."""
        new = validated(NewUser, {"username": username, "password": password, "role": role}, "new user")
        row = StudioUser(username=new.username, password_hash=_hasher.hash(new.password.get_secret_value()),
                         role=new.role)

        def work(s: Session) -> StudioUser:
            s.add(row)
            s.flush()
            self._audit(s, "user_added", by, username=row.username, role=row.role)
            return row

        try:
            return self._tx(work)
        except IntegrityError as exc:
            raise InputError(f"user {new.username!r} already exists; pick another username") from exc

    def authenticate(self, username: str, password: str) -> StudioUser | None:
        """The user when the password matches, else None. Failed attempts are audited without the password."""

        def work(s: Session) -> StudioUser | None:
            user = s.exec(select(StudioUser).where(StudioUser.username == username)).first()
            ok = _verify(user.password_hash if user else _DUMMY_HASH, password)
            if user is None or not ok:
                self._audit(s, "sign_in_failed", username[:64])
                return None
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            user.last_login_at = utcnow()
            s.add(user)
            self._audit(s, "signed_in", user.username)
            return user

        if not username:
            _verify(_DUMMY_HASH, password)
            return None
        return self._tx(work)

    def set_password(self, username: str, password: str, *, by: str = "cli") -> StudioUser:
        """Replace a user's password."""
        validated(NewUser, {"username": username, "password": password}, "password change")

        def work(s: Session) -> StudioUser:
            user = self._get_user(s, username)
            user.password_hash = _hasher.hash(password)
            s.add(user)
            self._audit(s, "password_changed", by, username=username)
            return user

        return self._tx(work)

    def list_users(self) -> list[StudioUser]:
        return self._read(lambda s: list(s.exec(select(StudioUser).order_by(StudioUser.username)).all()))

    def get_user(self, username: str) -> StudioUser:
        return self._read(lambda s: self._get_user(s, username))

    def needs_first_admin(self) -> bool:
        """True until an admin exists; the studio then asks for `nextads users add NAME --role admin`."""
        q = select(func.count()).select_from(StudioUser).where(StudioUser.role == "admin")
        return self._read(lambda s: s.exec(q).one() == 0)

    @staticmethod
    def _get_user(s: Session, user: StudioUser | int | str) -> StudioUser:
        if isinstance(user, StudioUser):
            user = user.id
        col = StudioUser.id if isinstance(user, int) else StudioUser.username
        found = s.exec(select(StudioUser).where(col == user)).first()
        if found is None:
            raise InputError(f"no studio user {user!r}; add one with `nextads users add NAME --role ROLE`")
        return found


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
