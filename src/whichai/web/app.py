"""The dashboard's FastAPI application: runs, one run's report views, the catalog, the profile form.

Every page is rendered on the server from the same Jinja2 templates as the HTML report (autoescaped),
reading the SQLite database at each request (runs may be written while the dashboard is open).
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response

from whichai.errors import InputError, WhichaiError
from whichai.report.i18n import LANGS, t

TEMPLATES = Path(__file__).with_name("templates")
COOKIE = "whichai_token"
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
CATALOG_PAGE = 100


def plotly_js_path() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def create_app(db_path: str | Path, token: str | None = None, lang: str = "en") -> FastAPI:
    from whichai.report.html import environment

    env = environment([TEMPLATES])
    app = FastAPI(title="whichai", docs_url=None, redoc_url=None, openapi_url=None)
    db_path = Path(db_path)
    default_lang = lang

    @app.middleware("http")
    async def guard(request: Request, call_next):  # noqa: ANN001 - Starlette's signature
        if token is not None:
            given = request.query_params.get("token") or request.cookies.get(COOKIE) or ""
            auth = request.headers.get("authorization", "")
            if auth.lower().startswith("bearer "):
                given = auth[7:].strip()
            if not hmac.compare_digest(given.encode(), token.encode()):
                return PlainTextResponse("401: a valid token is required (?token=...).", status_code=401)
        response = await call_next(request)
        if token is not None and request.query_params.get("token"):
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def lang_of(request: Request) -> str:
        value = request.query_params.get("lang", default_lang)
        return value if value in LANGS else default_lang

    def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = context.pop("lang", None) or lang_of(request)
        html = env.get_template(template).render(lang=lang, request_path=request.url.path, query=dict(request.query_params),
                                                 **context)
        return HTMLResponse(html, status_code=status)

    def store():
        from whichai.store import Store

        return Store.open(db_path, create=False)

    @app.exception_handler(WhichaiError)
    async def whichai_error(request: Request, exc: WhichaiError):  # noqa: ANN202
        status = 404 if "no run" in exc.message else (400 if isinstance(exc, InputError) else 500)
        return page(request, "error.html.j2", status=status, message=exc.message)

    @app.get("/static/plotly.min.js")
    def plotly_js() -> FileResponse:
        return FileResponse(plotly_js_path(), media_type="application/javascript", headers={"Cache-Control": "max-age=86400"})

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        return JSONResponse({"ok": True})

    @app.get("/", response_class=HTMLResponse)
    def runs(request: Request) -> HTMLResponse:
        s = store()
        try:
            rows = s.runs(200)
        finally:
            s.close()
        return page(request, "runs.html.j2", runs=rows, active="runs")

    @app.get("/runs/{run_id}", response_class=HTMLResponse)
    def run(request: Request, run_id: str, profile: str | None = None) -> HTMLResponse:
        from whichai.report.build import build_report
        from whichai.report.html import page_context

        lang = lang_of(request)
        s = store()
        try:
            doc = build_report(s, run_id, lang=lang, profile=profile or None)
        finally:
            s.close()
        return page(request, "run.html.j2", active="runs", **page_context(doc, lang))

    @app.get("/runs/{run_id}/report.{fmt}")
    def download(request: Request, run_id: str, fmt: str, profile: str | None = None) -> Response:
        from whichai.report import render_report

        if fmt not in ("html", "md", "json"):
            raise InputError(f"unknown report format {fmt!r}. Fix: use report.html, report.md or report.json.")
        s = store()
        try:
            text, doc = render_report(s, run_id, fmt=fmt, lang=lang_of(request), profile=profile or None)
        finally:
            s.close()
        media = {"html": "text/html", "md": "text/markdown", "json": "application/json"}[fmt]
        name = f"whichai-report-{doc['run']['id']}.{fmt}"
        disposition = "inline" if fmt == "html" else "attachment"
        headers = {"Content-Disposition": f'{disposition}; filename="{name}"'}
        return Response(text, media_type=media + "; charset=utf-8", headers=headers)

    @app.get("/catalog", response_class=HTMLResponse)
    def catalog(request: Request, q: str = "", openness: str = "", page_no: int = 1) -> HTMLResponse:
        from whichai.report.build import load_catalog_quietly

        cat = load_catalog_quietly()
        entries = list(cat.entries) if cat is not None else []
        needle = q.strip().lower()
        if needle:
            entries = [e for e in entries if needle in f"{e.id} {e.name} {e.provider} {e.license or ''}".lower()]
        if openness in ("open-source", "open-weights", "closed"):
            entries = [e for e in entries if e.openness == openness]
        total = len(entries)
        page_no = max(1, page_no)
        shown = entries[(page_no - 1) * CATALOG_PAGE : page_no * CATALOG_PAGE]
        return page(request, "catalog.html.j2", entries=shown, total=total, q=q, openness=openness, page_no=page_no,
                    pages=max(1, -(-total // CATALOG_PAGE)), available=cat is not None, active="catalog")

    @app.get("/catalog/model", response_class=HTMLResponse)
    def model_card(request: Request, id: str) -> HTMLResponse:  # noqa: A002 - the query parameter's name
        from whichai.report.build import load_catalog_quietly
        from whichai.report.charts import dim_class, openness_dims

        cat = load_catalog_quietly()
        entry = cat.get(id) if cat is not None else None
        if entry is None:
            raise InputError(f"no model {id!r} in the catalog. Fix: search the catalog at /catalog.")
        data = entry.model_dump(mode="json")
        return page(request, "model.html.j2", m=data, dims=openness_dims(data), dim_class=dim_class, active="catalog")

    @app.get("/profile", response_class=HTMLResponse)
    def profile(request: Request) -> HTMLResponse:
        from whichai.web.profile_form import FIELDS, form_values, label, profile_from_form

        lang = lang_of(request)
        params = dict(request.query_params)
        base = params.get("base") or None
        run_id = params.get("run") or None
        s = store()
        try:
            runs = s.runs(50)
            error = None
            try:
                from whichai.decide.profile import example_names

                examples = example_names()
                prof = profile_from_form(base, params)
            except ImportError:
                return page(request, "error.html.j2", status=503, message=t("dash.profile_missing", lang))
            except InputError as exc:
                error = exc.message
                prof = profile_from_form(base, {})
            context = _recommendation_context(s, prof, run_id, lang)
        finally:
            s.close()
        return page(request, "profile.html.j2", fields=FIELDS, values=form_values(prof), label=label,
                    examples=examples, base=base or "", run_id=run_id or "", runs=runs, error=error, active="profile",
                    **context)

    return app


def _recommendation_context(store: Any, profile: Any, run_id: str | None, lang: str) -> dict[str, Any]:
    from whichai.report.build import build_recommendation_doc, build_report
    from whichai.report.html import page_context

    if run_id:
        doc = build_report(store, run_id, lang=lang, profile=profile)
    else:
        doc = build_recommendation_doc(profile, lang=lang)
    return page_context(doc, lang)
