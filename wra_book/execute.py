"""Notebooks executed side by side, before Sphinx reads them.

myst-nb executes a notebook as Sphinx reads it, one after another. Here, once
Sphinx knows which documents it will read (``env-before-read-docs``), every
notebook among them that the execution cache does not hold is executed
concurrently, one kernel per worker, and its outputs stored in the cache the
way myst-nb stores them; myst-nb then reads each from the cache. The cache's
semantics stay myst-nb's own:

* the key is myst-nb's (jupyter-cache's hash of the code cells), of the
  notebook as myst-nb reads it: the source after every ``source-read``
  handler, so :mod:`wra_book.inputs`' digest of the declared tables, the
  bibliography and the package is part of it. Exactly the notebooks whose
  key is new execute; a no-op build executes nothing;
* a notebook that fails is not stored: myst-nb executes it again as it reads
  it, so its page, its banner and the failure report (notebook, cell, error;
  :mod:`wra_book.stale`) come from the one path that already reports them;
* any notebook in the notebooks folder that the build reads takes part (a new
  chapter needs nothing here).

The worker count is the number of cores this process may use (config value
``wra_execution_workers``, 0 for that; the environment variable
``WRA_EXECUTION_WORKERS`` wins, so ``make bench`` can time one worker). The
longest notebooks start first (the time each took last, from the cache).

What a build did is written next to its output (``_build/wra-build-html.json``,
:func:`read_record`): the documents read, the notebooks executed, the
execution phase's seconds and each notebook's own; ``tools/book.py`` and
``make bench`` read it.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.util import logging

from wra_book import notebooks

logger = logging.getLogger(__name__)

#: what the last build with a builder did, next to the builder's output folder
RECORD = "wra-build-{builder}.json"
WORKERS_ENV = "WRA_EXECUTION_WORKERS"


@dataclass
class Job:
    docname: str
    path: Path
    notebook: object  # nbformat.NotebookNode, as myst-nb reads it
    config: object  # myst-nb's NbParserConfig, with the notebook's own overrides
    read_fmt: dict | None
    estimate: float = float("inf")  # seconds it took last time, if known


@dataclass
class Phase:
    """The execution phase of one build."""

    workers: int = 0
    seconds: float = 0.0
    executed: dict[str, float] = field(default_factory=dict)  # docname -> its own seconds
    failed: list[str] = field(default_factory=list)


def workers(config=None) -> int:
    """How many notebooks run at once: ``$WRA_EXECUTION_WORKERS``, the config value, else the cores."""
    wanted = os.environ.get(WORKERS_ENV) or (config.wra_execution_workers if config is not None else 0)
    try:
        wanted = int(wanted)
    except ValueError:
        raise ValueError(f"{WORKERS_ENV} must be a whole number, not {wanted!r}") from None
    if wanted > 0:
        return wanted
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _as_read(app, env, docname: str) -> Job | None:
    """The notebook ``docname`` as myst-nb will read it, or None if myst-nb would not execute it."""
    from myst_nb.core.nb_to_tokens import nb_node_to_dict
    from myst_nb.core.read import create_nb_reader
    from sphinx.util.logging import suppress_logging

    path = Path(env.doc2path(docname))
    text = path.read_text(encoding=app.config.source_encoding)
    arg = [text]
    # the handlers' own warnings are given when Sphinx reads the page
    with suppress_logging():
        app.emit("source-read", docname, arg)
    reader = create_nb_reader(str(path), env.myst_config, env.mystnb_config, arg[0])
    if reader is None:
        return None
    notebook = reader.read(arg[0])
    config = env.mystnb_config
    if config.metadata_key in notebook.metadata:
        try:
            overrides = nb_node_to_dict(notebook.metadata[config.metadata_key])
            overrides.pop("output_folder", None)  # as myst-nb: not to be overridden
            config = config.copy(**overrides)
        except Exception:  # myst-nb warns about it as it reads the page, and executes it itself
            return None
    if config.execution_mode != "cache" or any(path.match(p) for p in config.execution_excludepatterns):
        return None
    return Job(docname, path, notebook, config, reader.read_fmt)


def _estimates(cache, jobs: list[Job]) -> None:
    """The seconds each notebook took the last time it was executed (unknown ones go first)."""
    last = {}
    for record in sorted(cache.list_cache_records(), key=lambda r: r.pk):
        seconds = (record.data or {}).get("execution_seconds")
        if seconds is not None:
            last[record.uri] = seconds
    for job in jobs:
        job.estimate = last.get(str(job.path.absolute()), float("inf"))


def _execute(job: Job):
    from jupyter_cache.executors.utils import single_nb_execution

    context = tempfile.TemporaryDirectory() if job.config.execution_in_temp else nullcontext(str(job.path.parent))
    with context as cwd:
        return single_nb_execution(
            job.notebook,
            cwd=os.path.abspath(cwd),
            allow_errors=job.config.execution_allow_errors,
            timeout=job.config.execution_timeout,
            meta_override=True,
        )


def _store(cache, job: Job, result) -> None:
    """Cache an executed notebook as myst-nb does (``myst_nb.core.execute.cache``)."""
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.cache.db import NbProjectRecord

    if job.read_fmt is not None:
        staged = cache.add_nb_to_project(str(job.path), read_data=job.read_fmt)
    else:
        staged = cache.add_nb_to_project(str(job.path))
    NbProjectRecord.remove_tracebacks([staged.pk], cache.db)
    cache.cache_notebook_bundle(
        CacheBundleIn(job.notebook, staged.uri, data={"execution_seconds": result.time}),
        check_validity=False,
        overwrite=True,
    )


def run(app, env, docnames) -> Phase:
    """Execute, side by side, the notebooks among ``docnames`` the execution cache does not hold."""
    from jupyter_cache import get_cache

    phase = Phase()
    if env.mystnb_config.execution_mode != "cache":
        return phase
    cache = get_cache(env.mystnb_config.execution_cache_path)
    jobs = []
    for docname in sorted(docnames):
        if not notebooks.is_notebook(app.config, docname):
            continue
        try:
            job = _as_read(app, env, docname)
        except Exception as exc:  # myst-nb meets the same problem as it reads the page, and reports it
            logger.info(f"not run ahead ({exc.__class__.__name__}: {exc})", location=docname)
            continue
        if job is None:
            continue
        try:
            cache.match_cache_notebook(job.notebook)
        except KeyError:
            jobs.append(job)
    if not jobs:
        return phase
    _estimates(cache, jobs)
    jobs.sort(key=lambda j: (-j.estimate, j.docname))
    phase.workers = min(workers(app.config), len(jobs))
    started = time.perf_counter()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=phase.workers, thread_name_prefix="wra-nb")
    running = {}
    for job in jobs:
        logger.info(f"Executing notebook ({len(jobs)} to run, {phase.workers} at a time)", location=job.docname)
        running[pool.submit(_execute, job)] = job
    try:
        for future in concurrent.futures.as_completed(running):
            job = running[future]
            try:
                result = future.result()
                error = result.err
            except Exception as exc:  # the kernel did not start, say: myst-nb tries again as it reads
                result, error = None, exc
            if error is None:
                _store(cache, job, result)
                phase.executed[job.docname] = result.time
                logger.info(f"Executed notebook in {result.time:.2f} seconds", location=job.docname)
            else:
                phase.failed.append(job.docname)
                logger.info(
                    f"the notebook failed ({error.__class__.__name__}); it runs again as its page is read, "
                    "which reports the cell",
                    location=job.docname,
                )
    finally:
        # interrupted (Ctrl-C): the notebooks not yet started never start
        pool.shutdown(wait=True, cancel_futures=True)
    phase.seconds = time.perf_counter() - started
    total = sum(phase.executed.values())
    logger.info(
        f"executed {len(phase.executed)} notebook(s) in {phase.seconds:.1f} s, {phase.workers} at a time "
        f"(their own times add up to {total:.1f} s)"
    )
    return phase


def _before_read(app, env, docnames):
    phase = run(app, env, docnames)
    app.wra_build = {
        "builder": app.builder.name,
        "read": sorted(docnames),
        "executed": sorted(phase.executed),
        "failed": sorted(phase.failed),
        "workers": phase.workers,
        "execution_seconds": round(phase.seconds, 3),
        "notebook_seconds": {d: round(s, 3) for d, s in sorted(phase.executed.items())},
    }


def _finish(app, exception):
    record = Path(app.outdir).parent / RECORD.format(builder=app.builder.name)
    data = getattr(app, "wra_build", None) or {"builder": app.builder.name, "read": [], "executed": []}
    record.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def read_record(build_dir: Path | str, builder: str = "html") -> dict | None:
    """What the last build with ``builder`` in ``build_dir`` (``_build``) did, or None."""
    try:
        return json.loads((Path(build_dir) / RECORD.format(builder=builder)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def setup(app):
    app.setup_extension("wra_book.notebooks")
    # not part of the environment: the worker count changes no page
    app.add_config_value("wra_execution_workers", 0, "", types=[int])
    # after every other handler: Sphinx has settled which documents it reads
    app.connect("env-before-read-docs", _before_read, priority=900)
    app.connect("build-finished", _finish)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
