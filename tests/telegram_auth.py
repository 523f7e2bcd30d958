"""Logging in on the test server: phone code, and two-step verification checked with real SRP.

A mixin of `TelegramTestServer` (tests/telegram_server.py), kept apart because it is only needed
by the `briefwatch login` tests. The code is always 12345; set `server.password` to require a
2FA password, verified as Telegram does (https://core.telegram.org/api/srp): the client's M1 is
recomputed from A, B, the salts and the password verifier v, never trusted.
"""

from __future__ import annotations

import os
from typing import Any

from telethon import password as srp
from telethon.tl import functions, types

from tests.telegram_world import World

# Telegram's 2048-bit safe prime for two-step verification (SRP), g = 3.
_SRP_PRIME = bytes.fromhex(
    "c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f48198a0aa7c14058229493d22530f4dbfa336f6e0ac925139543aed44cce7c37"
    "20fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f642477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4"
    "a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef1284754fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4"
    "e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b")

_Algo = types.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow


class RpcFailure(Exception):
    """Raised by a handler: becomes an `rpc_error` in the `rpc_result`."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message


class AuthHandlers:
    """auth.sendCode, auth.signIn, account.getPassword, auth.checkPassword, auth.logOut."""

    world: World
    password: str | None = None  # set to require two-step verification at sign-in
    _srp: tuple[int, int, bytes, bytes] | None = None  # srp_id, b, salt1, salt2

    def auth_handlers(self) -> dict[type, Any]:
        return {
            functions.auth.SendCodeRequest: self._send_code,
            functions.auth.SignInRequest: self._sign_in,
            functions.auth.LogOutRequest: self._log_out,
            functions.account.GetPasswordRequest: self._get_password,
            functions.auth.CheckPasswordRequest: self._check_password,
        }

    def _send_code(self, req: functions.auth.SendCodeRequest) -> types.auth.SentCode:
        return types.auth.SentCode(type=types.auth.SentCodeTypeApp(length=5), phone_code_hash="testhash")

    def _sign_in(self, req: functions.auth.SignInRequest) -> types.auth.Authorization:
        if req.phone_code != "12345":
            raise RpcFailure(400, "PHONE_CODE_INVALID")
        if self.password is not None:
            raise RpcFailure(401, "SESSION_PASSWORD_NEEDED")
        self.world.authorized = True
        return types.auth.Authorization(user=self.world.self_user)

    # Two-step verification: the server half of SRP (core.telegram.org/api/srp), checked for real.

    def _srp_values(self, salt1: bytes, salt2: bytes) -> tuple[int, int, int, _Algo]:
        algo = _Algo(
            salt1=salt1, salt2=salt2, g=3, p=_SRP_PRIME)
        p = int.from_bytes(_SRP_PRIME, "big")
        v = pow(3, int.from_bytes(srp.compute_hash(algo, self.password or ""), "big"), p)
        k = int.from_bytes(srp.sha256(_SRP_PRIME, srp.big_num_for_hash(3)), "big")
        return p, v, k, algo

    def _get_password(self, _req: Any) -> types.account.Password:
        if self.password is None:
            return types.account.Password(new_algo=types.PasswordKdfAlgoUnknown(),
                                          new_secure_algo=types.SecurePasswordKdfAlgoUnknown(),
                                          secure_random=os.urandom(32), has_password=False)
        salt1, salt2 = os.urandom(40), os.urandom(16)
        p, v, k, algo = self._srp_values(salt1, salt2)
        b = int.from_bytes(os.urandom(256), "big")
        srp_id = int.from_bytes(os.urandom(8), "big") >> 1
        self._srp = (srp_id, b, salt1, salt2)
        big_b = (k * v + pow(3, b, p)) % p
        return types.account.Password(
            new_algo=types.PasswordKdfAlgoUnknown(), new_secure_algo=types.SecurePasswordKdfAlgoUnknown(),
            secure_random=os.urandom(32), has_password=True, current_algo=algo,
            srp_B=srp.big_num_for_hash(big_b), srp_id=srp_id, hint="test")

    def _check_password(self, req: functions.auth.CheckPasswordRequest) -> types.auth.Authorization:
        check = req.password
        if self._srp is None or not isinstance(check, types.InputCheckPasswordSRP) or check.srp_id != self._srp[0]:
            raise RpcFailure(400, "SRP_ID_INVALID")
        _srp_id, b, salt1, salt2 = self._srp
        p, v, k, _algo = self._srp_values(salt1, salt2)
        big_a = int.from_bytes(check.A, "big")
        big_b = srp.big_num_for_hash((k * v + pow(3, b, p)) % p)
        u = int.from_bytes(srp.sha256(srp.big_num_for_hash(big_a), big_b), "big")
        session_key = srp.sha256(srp.big_num_for_hash(pow(big_a * pow(v, u, p), b, p)))
        expected = srp.sha256(
            srp.xor(srp.sha256(_SRP_PRIME), srp.sha256(srp.big_num_for_hash(3))), srp.sha256(salt1),
            srp.sha256(salt2), srp.big_num_for_hash(big_a), big_b, session_key)
        if expected != check.M1:
            raise RpcFailure(400, "PASSWORD_HASH_INVALID")
        self._srp = None
        self.world.authorized = True
        return types.auth.Authorization(user=self.world.self_user)

    def _log_out(self, _req: Any) -> types.auth.LoggedOut:
        self.world.authorized = False
        return types.auth.LoggedOut()
