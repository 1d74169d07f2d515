"""A small but real OpenID Connect provider on loopback, for the sign-in tests.

It serves discovery, JWKS, an authorisation endpoint and a token endpoint over HTTP,
checks the client's secret, the redirect URI and the PKCE verifier, and signs ID tokens
with a fresh RSA key (RS256) using joserfc. The test says who "signs in" at the provider by
setting `next_claims` before the browser visits the authorisation endpoint.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey


@dataclass
class Provider:
    client_id: str = "boundaries-test"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    issuer: str = ""
    next_claims: dict[str, Any] = field(default_factory=dict)
    key: RSAKey = field(
        default_factory=lambda: RSAKey.generate_key(
            2048, parameters={"kid": "test-1", "use": "sig", "alg": "RS256"}
        )
    )
    signing_key: RSAKey | None = None  # set to sign with a key the JWKS does not publish
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: int = 0
    # Bytes of padding in the discovery document, and whether its length is declared
    # (without Content-Length the answer runs until the connection closes).
    discovery_padding: int = 0
    declares_length: bool = True
    # The same for the token endpoint's answer; and a slow token endpoint: seconds before it
    # answers at all (`token_stalls`), or between each 16 bytes of its answer (`token_trickles`).
    token_padding: int = 0
    token_declares_length: bool = True
    token_stalls: float = 0.0
    token_trickles: float = 0.0
    # Bytes of body in a 307 redirect the token endpoint answers first (0: no redirect).
    token_redirect_padding: int = 0
    # Where the token endpoint's 307 sends the client (with token_redirect_padding).
    token_redirect_to: str = "/token?again"
    # Redirects (302) from discovery and from the signing keys to these addresses ("" none),
    # and addresses the discovery document names instead of its own (key: its field).
    discovery_redirect: str = ""
    jwks_redirect: str = ""
    discovery_overrides: dict[str, str] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)  # every request's path, in order
    cut_off: int = 0  # answers the client stopped reading before the end
    # Each person's `sub`, by email, made at their first sign-in here (a test may give one).
    subjects: dict[str, str] = field(default_factory=dict)
    # RFC 9207: say so in discovery and send `iss` with the code (`advertises_iss`), or send
    # this `iss` whatever discovery says (`response_iss`, for a provider that misbehaves).
    advertises_iss: bool = False
    response_iss: str | None = None
    # The person's own session here began an hour ago; `max_age=0` or `prompt=login` makes
    # them sign in again now, unless the provider ignores it. `auth_time` is sent unless not.
    session_began: int = field(default_factory=lambda: int(time.time()) - 3600)
    honours_max_age: bool = True
    sends_auth_time: bool = True
    queries: list[dict[str, str]] = field(default_factory=list)  # each authorisation request

    def discovery(self) -> dict[str, Any]:
        padding = {"x_padding": "x" * self.discovery_padding} if self.discovery_padding else {}
        return {
            **padding,
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            **(
                {"authorization_response_iss_parameter_supported": True}
                if self.advertises_iss
                else {}
            ),
            **self.discovery_overrides,
        }

    def authorize(self, query: dict[str, str]) -> str:
        self.queries.append(query)
        again = query.get("max_age") == "0" or query.get("prompt") == "login"
        if again and self.honours_max_age:
            self.session_began = int(time.time())
        claims = dict(self.next_claims)
        email = str(claims.get("email", "")).lower()
        claims.setdefault("sub", self.subjects.setdefault(email, secrets.token_hex(8)))
        if self.sends_auth_time:
            claims.setdefault("auth_time", self.session_began)
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"query": query, "claims": claims}
        answer = {"code": code, "state": query["state"]}
        if self.response_iss is not None or self.advertises_iss:
            answer["iss"] = self.issuer if self.response_iss is None else self.response_iss
        return f"{query['redirect_uri']}?{urlencode(answer)}"

    def token(self, form: dict[str, str], basic: str | None) -> tuple[int, dict[str, Any]]:
        self.token_requests += 1
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if basic:
            client_id, _, secret = base64.b64decode(basic).decode().partition(":")
        if client_id != self.client_id or secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("redirect_uri") != grant["query"]["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if challenge != grant["query"].get("code_challenge"):
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": secrets.token_hex(8),
            "iat": now,
            "exp": now + 300,
            "nonce": grant["query"].get("nonce"),
            **grant["claims"],
        }
        key = self.signing_key or self.key
        id_token = jwt.encode({"alg": "RS256", "kid": "test-1"}, claims, key)
        padding = {"x_padding": "x" * self.token_padding} if self.token_padding else {}
        return 200, {
            **padding,
            "access_token": secrets.token_urlsafe(16),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def jwks(self) -> dict[str, Any]:
        return dict(KeySet([self.key]).as_dict(private=False))


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _json(
            self, status: int, body: dict[str, Any], *, length: bool = True, trickle: float = 0
        ) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            if length:
                self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            # A client that stops reading (as a capped one does) may close first.
            try:
                if not trickle:
                    self.wfile.write(data)
                    return
                for start in range(0, len(data), 16):
                    self.wfile.write(data[start : start + 16])
                    self.wfile.flush()
                    time.sleep(trickle)
            except (BrokenPipeError, ConnectionResetError):
                provider.cut_off += 1

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            provider.paths.append(self.path)
            url = urlparse(self.path)
            discovery = url.path == "/.well-known/openid-configuration"
            if discovery and provider.discovery_redirect:
                self._redirect(provider.discovery_redirect)
            elif url.path == "/jwks" and provider.jwks_redirect:
                self._redirect(provider.jwks_redirect)
            elif discovery:
                self._json(200, provider.discovery(), length=provider.declares_length)
            elif url.path == "/jwks":
                self._json(200, provider.jwks())
            elif url.path == "/authorize":
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                self.send_response(302)
                self.send_header("Location", provider.authorize(query))
                self.end_headers()
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            provider.paths.append(self.path)
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if provider.token_redirect_padding and urlparse(self.path).query != "again":
                self.send_response(307)  # the same request again, elsewhere
                self.send_header("Location", provider.token_redirect_to)
                self.end_headers()
                try:
                    self.wfile.write(b" " * provider.token_redirect_padding)
                except (BrokenPipeError, ConnectionResetError):
                    provider.cut_off += 1
                return
            auth = self.headers.get("Authorization", "")
            basic = auth[6:] if auth.startswith("Basic ") else None
            status, body = provider.token(form, basic)
            time.sleep(provider.token_stalls)
            length, trickle = provider.token_declares_length, provider.token_trickles
            self._json(status, body, length=length, trickle=trickle)

    return Handler


@contextmanager
def serving(provider: Provider, tls: ssl.SSLContext | None = None) -> Iterator[str]:
    """Serve `provider` on a loopback port, over HTTPS with `tls`; answers its address.
    One provider may be served twice (say, with a certificate the client trusts and one it
    does not), the two sharing its state."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    scheme = "http" if tls is None else "https"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def running_provider(tls: ssl.SSLContext | None = None) -> Iterator[Provider]:
    provider = Provider()
    with serving(provider, tls) as address:
        provider.issuer = address
        yield provider
