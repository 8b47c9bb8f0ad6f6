"""The dashboard's FastAPI application: runs, one run's report views, the catalog, the profile form.

Every page is rendered on the server from the same Jinja2 templates as the HTML report (autoescaped),
reading the SQLite database at each request (runs may be written while the dashboard is open).
Requests pass :class:`whichai.web.security.Guard` first (Host check, token and its throttle, body size,
load shedding of report pages, security headers).
Profiles are chosen by name only (:mod:`whichai.web.profiles`); no request names a file to read.
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from whichai.errors import InputError, WhichaiError
from whichai.report.i18n import LANGS
from whichai.web.security import REPORT_SLOTS, Guard, allowed_hosts, secure

if TYPE_CHECKING:
    from whichai.report.html import PageContext

TEMPLATES = Path(__file__).with_name("templates")
CATALOG_PAGE = 100
MAX_FORM_BYTES = 64 * 1024


def plotly_js_path() -> Path:
    from whichai.report.charts import plotly_package_data

    return plotly_package_data("plotly.min.js")


def create_app(db_path: str | Path, token: str | None = None, lang: str = "en", host: str | None = None,
               report_slots: int = REPORT_SLOTS) -> FastAPI:
    """The dashboard over the database at ``db_path``. ``host``: the address it is bound to (its name is
    accepted in the Host header besides 127.0.0.1, localhost and [::1]); ``token``: required on every
    request when given; ``report_slots``: report pages built at once (more are answered 503)."""
    from whichai.report.html import environment

    env = environment([TEMPLATES])
    app = FastAPI(title="whichai", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(Guard, hosts=allowed_hosts(host), token=token, max_body=MAX_FORM_BYTES, report_slots=report_slots)
    ctx = _Context(env, Path(db_path), lang, secrets.token_bytes(32))
    _error_handlers(app, ctx)
    _static_routes(app)
    _run_routes(app, ctx)
    _catalog_routes(app, ctx)
    _profile_routes(app, ctx)
    return app


class _Context:
    """What the routes share: the templates, the database path, the default language, the form secret."""

    def __init__(self, env: Any, db_path: Path, lang: str, secret: bytes) -> None:
        self.env, self.db_path, self.default_lang, self.secret = env, db_path, lang, secret

    def lang(self, request: Request) -> str:
        value = request.query_params.get("lang", self.default_lang)
        return value if value in LANGS else self.default_lang

    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = context.pop("lang", None) or self.lang(request)
        html = self.env.get_template(template).render(lang=lang, request_path=request.url.path, query=dict(request.query_params),
                                                      **context)
        return HTMLResponse(html, status_code=status)

    def store(self) -> Any:
        from whichai.store import Store

        return Store.open(self.db_path, create=False)

    def csrf(self) -> str:
        return hmac.new(self.secret, b"save-profile", "sha256").hexdigest()


def _error_handlers(app: FastAPI, ctx: _Context) -> None:
    @app.exception_handler(WhichaiError)
    async def whichai_error(request: Request, exc: WhichaiError):  # noqa: ANN202
        if isinstance(exc, _Forbidden):
            status = 403
        elif isinstance(exc, _TooLarge):
            status = 413
        elif exc.message.lower().startswith("no run"):
            status = 404
        else:
            status = 400 if isinstance(exc, InputError) else 500
        return ctx.page(request, "error.html.j2", status=status, message=exc.message)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):  # noqa: ANN202
        # Starlette sends this response outside the middleware stack: set the headers here too.
        response = Response("500: internal error (see the server log).", status_code=500, media_type="text/plain")
        secure(response.headers)
        return response


def _static_routes(app: FastAPI) -> None:
    from whichai.report.html import TEMPLATES as REPORT_TEMPLATES

    @app.get("/static/plotly.min.js")
    def plotly_js() -> FileResponse:
        return FileResponse(plotly_js_path(), media_type="application/javascript", headers={"Cache-Control": "max-age=86400"})

    @app.get("/static/charts.js")
    def charts_js() -> FileResponse:
        return FileResponse(REPORT_TEMPLATES / "charts.js", media_type="application/javascript")

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        return JSONResponse({"ok": True})


def _run_routes(app: FastAPI, ctx: _Context) -> None:
    @app.get("/", response_class=HTMLResponse)
    def runs(request: Request) -> HTMLResponse:
        s = ctx.store()
        try:
            rows = s.runs(200)
        finally:
            s.close()
        return ctx.page(request, "runs.html.j2", runs=rows, active="runs")

    @app.get("/runs/{run_id}", response_class=HTMLResponse)
    def run(request: Request, run_id: str, profile: str | None = None) -> HTMLResponse:
        from whichai.app import build_report
        from whichai.report.html import page_context
        from whichai.web.profiles import load

        lang = ctx.lang(request)
        chosen = load(profile) if profile else None  # none asked: the profile the run was decided with
        s = ctx.store()
        try:
            doc = build_report(s, run_id, lang=lang, profile=chosen)
        finally:
            s.close()
        return ctx.page(request, "run.html.j2", active="runs", **page_context(doc, lang))

    @app.get("/runs/{run_id}/report.{fmt}")
    def download(request: Request, run_id: str, fmt: str, profile: str | None = None) -> Response:
        from whichai.app import render_report
        from whichai.web.profiles import load

        if fmt not in ("html", "md", "json"):
            raise InputError(f"unknown report format {fmt!r}. Fix: use report.html, report.md or report.json.")
        chosen = load(profile) if profile else None  # none asked: the profile the run was decided with
        s = ctx.store()
        try:
            rendered = render_report(s, run_id, fmt=fmt, lang=ctx.lang(request), profile=chosen)
        finally:
            s.close()
        media = {"html": "text/html", "md": "text/markdown", "json": "application/json"}[fmt]
        name = f"whichai-report-{rendered.run_id}.{fmt}"
        disposition = "inline" if fmt == "html" else "attachment"
        headers = {"Content-Disposition": f'{disposition}; filename="{name}"'}
        response = Response(rendered.text, media_type=media + "; charset=utf-8", headers=headers)
        if fmt == "html":  # the report carries its own CSP (script hashes); the dashboard's would block it
            from whichai.report.html import report_csp

            response.headers["Content-Security-Policy"] = report_csp() + "; frame-ancestors 'none'"
        return response


def _catalog_routes(app: FastAPI, ctx: _Context) -> None:
    @app.get("/catalog", response_class=HTMLResponse)
    def catalog(request: Request, q: str = "", openness: str = "", page_no: int = 1) -> HTMLResponse:
        from whichai.app import OPENNESS, search_catalog
        from whichai.report.build import load_catalog

        rows = search_catalog(load_catalog(), q, [openness] if openness in OPENNESS else [])
        total = len(rows)
        page_no = max(1, page_no)
        shown = rows[(page_no - 1) * CATALOG_PAGE : page_no * CATALOG_PAGE]
        return ctx.page(request, "catalog.html.j2", entries=shown, total=total, q=q, openness=openness, page_no=page_no,
                        pages=max(1, -(-total // CATALOG_PAGE)), available=True, active="catalog")

    @app.get("/catalog/model", response_class=HTMLResponse)
    def model_card(request: Request, id: str, profile: str | None = None) -> HTMLResponse:  # noqa: A002 - the query parameter's name
        from whichai.decide.criteria_scores import score_entry
        from whichai.report.build import load_catalog
        from whichai.report.charts import dim_class, openness_dims
        from whichai.web.profiles import load

        entry = load_catalog().get(id)
        if entry is None:
            raise InputError(f"no model {id!r} in the catalog. Fix: search the catalog at /catalog.")
        needs = load(profile)
        scores = {cid: s.to_json() for cid, s in score_entry(entry, needs).items()}
        data = entry.model_dump(mode="json")
        return ctx.page(request, "model.html.j2", m=data, scores=scores, profile_name=needs.name, dims=openness_dims(data),
                        dim_class=dim_class, active="catalog")


def _profile_routes(app: FastAPI, ctx: _Context) -> None:
    @app.get("/profile", response_class=HTMLResponse)
    def profile(request: Request) -> HTMLResponse:
        params = dict(request.query_params)
        prof, error, base = _form_profile(params)
        return _profile_page(ctx, request, prof, base, params.get("run") or "", error, saved=params.get("saved") or "")

    @app.get("/profile.yaml")
    def profile_yaml(request: Request) -> Response:
        from whichai.decide.profile import dump_profile

        prof, error, _ = _form_profile(dict(request.query_params))
        if error:
            raise InputError(error)
        return Response(dump_profile(prof), media_type="application/yaml; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="profile.yaml"'})

    @app.post("/profile/save")
    async def profile_save(request: Request) -> Response:
        from whichai.web.profiles import save

        params = await _posted_form(request, ctx)
        prof, error, base = _form_profile(params)
        name = (params.get("save_as") or "").strip()
        if error is None:
            try:
                save(prof, name)
            except InputError as exc:
                error = exc.message
        if error is not None:
            return _profile_page(ctx, request, prof, base, params.get("run") or "", error, status=400)
        query = {"base": name, "lang": params.get("lang") or ctx.default_lang, "saved": name}
        if params.get("run"):
            query["run"] = params["run"]
        return RedirectResponse("/profile?" + urlencode(query), status_code=303)


async def _posted_form(request: Request, ctx: _Context) -> dict[str, str]:
    """The urlencoded body of a same-origin POST carrying the form's CSRF token; 403 otherwise."""
    site = request.headers.get("sec-fetch-site")
    if site not in (None, "same-origin", "none"):
        raise _Forbidden()
    body = bytearray()
    async for chunk in request.stream():  # read as it comes, never past the limit (a body without Content-Length)
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise _TooLarge()
    params = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    if not hmac.compare_digest(params.get("csrf", "").encode(), ctx.csrf().encode()):
        raise _Forbidden()
    return params


class _TooLarge(InputError):
    def __init__(self) -> None:
        super().__init__("413: the form is too large. Fix: submit the profile form as the dashboard shows it.")


class _Forbidden(WhichaiError):
    def __init__(self) -> None:
        super().__init__("403: this form must be sent from the dashboard's own page. Fix: reload the profile page and try again.")


def _form_profile(params: dict[str, str]) -> tuple[Any, str | None, str]:
    """The profile the form describes, the error to show (None), and the base profile's name.
    A bad base name is an error of the request (raised); a bad field value is shown on the form."""
    from whichai.web.profile_form import profile_from_form
    from whichai.web.profiles import load

    base = params.get("base") or "default"
    start = load(base)
    try:
        return profile_from_form(start, params), None, base
    except InputError as exc:
        return start, exc.message, base


def _profile_page(ctx: _Context, request: Request, prof: Any, base: str, run_id: str, error: str | None,
                  saved: str = "", status: int = 200) -> HTMLResponse:
    from whichai.web.profile_form import form_values, grouped, label, section_label
    from whichai.web.profiles import names

    lang = ctx.lang(request)
    s = ctx.store()
    try:
        runs = s.runs(50)
        context = _recommendation_context(s, prof, run_id or None, lang)
    finally:
        s.close()
    form_fields, values = form_values(prof)
    return ctx.page(request, "profile.html.j2", status=status, groups=grouped(form_fields), values=values, label=label,
                    section_label=section_label, profiles=names(), base=base, run_id=run_id, runs=runs, error=error,
                    saved=saved, csrf=ctx.csrf(), active="profile", **context)


def _recommendation_context(store: Any, profile: Any, run_id: str | None, lang: str) -> PageContext:
    from whichai.app import build_recommendation_doc, build_report
    from whichai.report.html import page_context

    if run_id:
        doc = build_report(store, run_id, lang=lang, profile=profile)
    else:
        doc = build_recommendation_doc(profile, lang=lang, store=store)
    return page_context(doc, lang)
