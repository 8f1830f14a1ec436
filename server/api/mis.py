"""The nightly MIS exchange for the SENCO and admin: the run log, a run started now, and the
latest SEN export as a ZIP. The work is sync/mis/nightly.py; this is the HTTP shell.

A run started here takes the school's lock in the request (409 if a run is going), then works
in a thread of this server: the request waits up to MIS_APP_WAIT_SECONDS and answers 200 with
the finished run, or 202 with it still running, for the app to poll GET /runs. A server that
stops mid-run leaves nothing half done: the next run marks it failed and starts clean.
"""

import threading
from datetime import date

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from flask_smorest.error_handler import ErrorSchema
from marshmallow import RAISE
from sqlalchemy import select

from schemas.mis import MisRunListSchema, MisRunQuerySchema, MisRunSchema
from server.extensions import db
from server.models import MisRun, MisSource, School, audit
from server.policy import READ_MIS_RUNS, RUN_MIS_SYNC, require
from sync.mis.export_files import current_name, folder, zip_bytes
from sync.mis.lock import Busy
from sync.mis.nightly import NotSetUp, carry_out, export_root, prepare
from sync.mis.source import Settings

blp = Blueprint(
    "mis",
    __name__,
    url_prefix="/api/v1/mis",
    description="The nightly MIS exchange: roster in, SEN data out, and its run log.",
)
ZIP = {"type": "string", "format": "binary"}
COUNTS = ("pupils_in", "created", "updated", "unchanged", "left", "rejected", "pupils_out", "files")


def _root(school_id: int) -> str | None:
    source = db.session.get(MisSource, school_id)
    if source is None:
        return None
    settings = Settings.from_config(current_app.config)
    return export_root(source, db.session.get(School, school_id), settings)


def _view(run: MisRun, root: str | None) -> dict:
    return {
        **{name: getattr(run, name) for name in ("id", "started_at", "finished_at", "status")},
        **{name: getattr(run, name) for name in ("trigger", "source", "summary", "rejected")},
        "notes": [f"Row {n['row']} ({n['upn']}): {n['note']}" for n in run.notes or []],
        "differences": run.differences,
        "counts": {name: (run.counts or {}).get(name, 0) for name in COUNTS},
        "export_ready": bool(root and folder(root, run.export_name)),
    }


def _work(app, job, actor: dict) -> None:
    with app.app_context():
        db.session.info["actor"] = actor
        try:
            carry_out(db.session, job, Settings.from_config(app.config))
        finally:
            db.session.remove()


def _start(staff) -> tuple[int, threading.Thread]:
    school = db.session.get(School, staff.school_id)
    try:
        job = prepare(db.session, db.engine, school, "app", staff.id)
    except NotSetUp as missing:
        abort(409, message=str(missing))
    except Busy:
        abort(
            409,
            message="A run for your school is already going. Its result will show in "
            "the run log when it finishes.",
        )
    actor = dict(db.session.info.get("actor") or {})
    app = current_app._get_current_object()
    worker = threading.Thread(target=_work, args=(app, job, actor), name=f"mis-run-{job.run_id}")
    worker.start()
    return job.run_id, worker


@blp.route("/runs")
class Runs(MethodView):
    @blp.arguments(MisRunQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, MisRunListSchema)
    def get(self, args):
        """Your school's MIS runs, newest first."""
        staff = require(READ_MIS_RUNS)
        runs = db.session.scalars(
            select(MisRun)
            .where(MisRun.school_id == staff.school_id)
            .order_by(MisRun.started_at.desc(), MisRun.id.desc())
            .limit(args["limit"])
        ).all()
        root = _root(staff.school_id)
        return {"items": [_view(run, root) for run in runs]}

    @blp.response(200, MisRunSchema, description="The run, finished within the wait.")
    @blp.alt_response(202, schema=MisRunSchema, description="The run, still going: poll GET.")
    @blp.alt_response(
        409, schema=ErrorSchema, description="A run is already going, or no MIS source is set up."
    )
    def post(self):
        """Run the MIS exchange for your school now

        Roster in from the school's MIS source, then the SEN export out. Answers with the
        finished run (200) if it ends within a few seconds, else with the run still going
        (202)."""
        staff = require(RUN_MIS_SYNC)
        run_id, worker = _start(staff)
        db.session.commit()  # end this request's read, so the worker's writes are seen
        worker.join(current_app.config["MIS_APP_WAIT_SECONDS"])
        run = db.session.get(MisRun, run_id)
        db.session.refresh(run)
        return _view(run, _root(staff.school_id)), 202 if worker.is_alive() else 200


@blp.route("/exports/latest")
class LatestExport(MethodView):
    @blp.response(200, content_type="application/zip", description="The export's files.")
    @blp.alt_response(404, schema=ErrorSchema, description="No export yet.")
    @blp.doc(responses={"200": {"content": {"application/zip": {"schema": ZIP}}}})
    def get(self):
        """Download your school's latest SEN export (audited)

        A ZIP of the CTF, the four CSVs and manifest.json, the same bytes each time."""
        staff = require(RUN_MIS_SYNC)
        root = _root(staff.school_id)
        name = current_name(root) if root else None
        path = folder(root, name) if name else None
        if path is None:
            abort(
                404,
                message="There is no SEN export yet: it is written by the first "
                "MIS run that succeeds.",
            )
        day = date.fromisoformat(name[:10])
        data = zip_bytes(path, day)
        audit.record(
            db.session, "export", "mis_export", name, staff.school_id, {"bytes": len(data)}
        )
        db.session.commit()
        school = db.session.get(School, staff.school_id)
        filename = f"sen-export-{school.dfe_number}-{name}.zip"
        return Response(
            data,
            mimetype="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
