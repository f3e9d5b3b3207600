"""The web app: a store's typed queries as an HTTP API (``/api/``) and as server-rendered pages.

>>> from newsgraph.web.app import create_app
>>> app = create_app("newsgraph.db")          # doctest: +SKIP
>>> # uvicorn.run(app)  -- or: newsgraph serve --db newsgraph.db

The app never writes: it opens the store read-only, one connection per worker thread (SQLite
connections belong to the thread that opened them). Every response carries a Content-Security-
Policy that allows no inline script and nothing from another origin; request bodies are capped
(1 MiB, 413 beyond); a malformed query is a 400 with a message, never a 500.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from newsgraph.store import QueryTimeout, StorageError, Store, StoreError, open_store

__all__ = ["CSP", "MAX_BODY", "QUERY_TIMEOUT", "Stores", "create_app"]

HERE = Path(__file__).parent
STATIC = HERE / "static"

#: The largest request body accepted (the ``--analyze`` endpoint's article): 1 MiB.
MAX_BODY = 1 << 20

#: The longest a query may run before the request gets a 503 (seconds): no request pins a core.
QUERY_TIMEOUT = 5.0

#: No inline script or style, nothing from another origin, no plugin, no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
    " form-action 'self'; frame-ancestors 'none'"
)

SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Stores:
    """Read-only stores of one database, one per thread, opened on first use."""

    def __init__(self, db: str, *, timeout: float | None = QUERY_TIMEOUT) -> None:
        self.db = db
        self.timeout = timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[Store] = []

    def get(self) -> Store:
        """This thread's store (opened read-only the first time the thread asks)."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.db, readonly=True, timeout=self.timeout)
            self._local.store = store
            with self._lock:
                self._open.append(store)
        return store

    def close(self) -> None:
        """Close every store opened so far."""
        with self._lock:
            stores, self._open = self._open, []
        for store in stores:
            with contextlib.suppress(Exception):  # a finished thread's store: nothing left to release
                store.close()


class _TooLarge(Exception):
    pass


class Guard:
    """ASGI middleware: security headers on every response, request bodies capped at ``max_body``."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _plain(send, 413, f"request body over {self.max_body} bytes")
            return
        seen = 0
        started = False

        async def receive_capped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name for name, _ in SECURITY_HEADERS}
                headers = [h for h in message.get("headers", []) if h[0].lower() not in names]
                message["headers"] = headers + SECURITY_HEADERS
            await send(message)

        try:
            await self.app(scope, receive_capped, send_with_headers)
        except _TooLarge:
            if not started:
                await _plain(send, 413, f"request body over {self.max_body} bytes")


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + SECURITY_HEADERS})
    await send({"type": "http.response.body", "body": body})


def wants_json(request: Request) -> bool:
    """True for the API and the pages' JSON and CSV twins (errors answer in JSON there)."""
    path = request.url.path
    return path.startswith("/api/") or path.endswith((".json", ".csv"))


def create_app(
    db: str, *, analyze: bool = False, max_body: int = MAX_BODY, timeout: float | None = QUERY_TIMEOUT
) -> FastAPI:
    """The app serving store ``db`` (an SQLite file or a ``postgresql://`` URL), read-only.

    ``analyze`` adds ``/analyze`` and ``POST /api/analyze``: an article analysed and shown, never
    stored. A query running past ``timeout`` seconds is stopped (503). Raises
    :class:`~newsgraph.store.StoreError` when the store cannot be opened.
    """
    from newsgraph import __version__
    from newsgraph.web import api, pages

    stores = Stores(db, timeout=timeout)
    stores.get()  # fail now, with the store's one-line reason, rather than on the first request

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        # bounded work: at most 16 queries at once, the rest wait their turn
        anyio.to_thread.current_default_thread_limiter().total_tokens = 16
        yield
        stores.close()

    app = FastAPI(
        title="newsgraph",
        version=__version__,
        description="Who said what, what happened where and when: the corpus of a newsgraph store.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.stores = stores
    app.state.analyze = analyze
    app.add_middleware(Guard, max_body=max_body)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    if analyze:
        app.include_router(api.analyze_router)
    app.include_router(pages.router)
    if analyze:
        app.include_router(pages.analyze_router)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError) -> Response:
        # the request's fault (a bad query or cursor) is a 400; the store's (too slow, failing) a 503
        status = 503 if isinstance(error, QueryTimeout | StorageError) else 400
        message = str(error).removeprefix(f"{db}: ")  # where the store lives is not the client's business
        return _error(request, status, message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": _plain_errors(error)}, status_code=422)
        return _error(request, 422, "; ".join(_describe(e) for e in error.errors()))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        return _error(request, error.status_code, str(error.detail))

    return app


def _plain_errors(error: RequestValidationError) -> list[dict[str, Any]]:
    """Validation errors as FastAPI reports them, without echoing the (untrusted) input back."""
    return [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in error.errors()]


def _describe(error: Any) -> str:
    where = ".".join(str(part) for part in error.get("loc", ())[1:])
    return f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid"))


def _error(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    from newsgraph.web.pages import render_error

    return render_error(request, status, message)
