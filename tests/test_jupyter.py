"""The notebooks in Jupyter: saved by jupytext without a change, run in JupyterLab by `make lab`.

* Every notebook survives a round trip through jupytext with the project's
  ``jupytext.toml`` byte for byte: md -> ipynb file -> md, and a JupyterLab save
  (jupytext's contents manager, after a kernel added its metadata).
* JupyterLab started by ``tools/lab.sh`` (what ``make lab`` runs), in a copy of
  the project and with an empty home folder, opens notebook 03 as a notebook;
  in Chromium "Run All Cells" draws a plotly chart and shows the glued values;
  saving leaves the file unchanged; no request leaves 127.0.0.1 and nothing is
  written to the home folder.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jupytext
import nbformat
import pytest
from jupytext.config import find_jupytext_configuration_file, load_jupytext_configuration_file

from wra.record import paths
from wra_book import build
from wra_book.offline import keep_offline

NOTEBOOKS = sorted((paths.ROOT / "notebooks").glob("*.md"))
LAB_NOTEBOOK = "notebooks/03_troop_strength.md"
LAB_SCRIPT = paths.ROOT / "tools" / "lab.sh"
LAB_HINT = "install JupyterLab with `make lab` (or `.venv/bin/pip install -r requirements-lab.txt`)"


def project_config():
    found = find_jupytext_configuration_file(str(paths.ROOT / "notebooks"))
    assert found == str(paths.ROOT / "jupytext.toml"), found
    return load_jupytext_configuration_file(found)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_round_trip_md_ipynb_md_is_byte_identical(path, tmp_path):
    config = project_config()
    text = path.read_text(encoding="utf-8")
    ipynb = tmp_path / path.with_suffix(".ipynb").name
    # as `jupytext --to ipynb` writes it: an .ipynb file (sorted keys and all)
    ipynb.write_text(nbformat.writes(jupytext.reads(text, fmt="md:myst", config=config)), encoding="utf-8")
    back = jupytext.writes(nbformat.read(ipynb, as_version=4), fmt="md:myst", config=config)
    assert back == text, f"{path.name} changes on a round trip: run `make format-notebooks`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_jupyterlab_save_keeps_the_file(path, tmp_path):
    """What JupyterLab does: jupytext's contents manager reads, the browser sends JSON back, it saves."""
    from jupytext import TextFileContentsManager

    shutil.copy(paths.ROOT / "jupytext.toml", tmp_path)
    (tmp_path / "notebooks").mkdir()
    shutil.copy(path, tmp_path / "notebooks" / path.name)
    cm = TextFileContentsManager(root_dir=str(tmp_path))
    model = json.loads(json.dumps(cm.get(f"notebooks/{path.name}"), default=str))
    # after a run, the kernel adds language_info; JupyterLab adds cell ids
    model["content"]["metadata"]["language_info"] = {"name": "python", "version": sys.version.split()[0]}
    cm.save(model, f"notebooks/{path.name}")
    saved = (tmp_path / "notebooks" / path.name).read_text(encoding="utf-8")
    assert saved == path.read_text(encoding="utf-8")
    assert "wra:\n  inputs:" in saved
    assert "jupytext_version" not in saved


def test_without_the_project_config_a_save_would_drop_the_front_matter():
    """The check above can fail: jupytext's defaults drop `wra:` and add a version line."""
    text = NOTEBOOKS[0].read_text(encoding="utf-8")
    default = jupytext.writes(jupytext.reads(text, fmt="md:myst"), fmt="md:myst")
    assert "jupytext_version" in default and "wra:" not in default


def test_the_formatter_agrees_with_jupytext():
    proc = subprocess.run(
        [sys.executable, str(paths.ROOT / "tools" / "format_notebooks.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --------------------------------------------------------------------------
# JupyterLab in Chromium
# --------------------------------------------------------------------------


def _run_lab_script(tmp_path, *args, env_extra=None) -> tuple[str, list[str]]:
    """Run tools/lab.sh with a stand-in for jupyter-lab: what it prints, and the arguments it passes on."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir(parents=True)
    (fake_bin / "python").symlink_to(sys.executable)
    fake = fake_bin / "jupyter-lab"
    fake.write_text('#!/usr/bin/env bash\nfor a in "$@"; do echo "ARG $a"; done\n')
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_TOKEN"}
    env.update(HOME=str(tmp_path), WRA_VENV_BIN=str(fake_bin), **(env_extra or {}))
    proc = subprocess.run(
        ["bash", str(LAB_SCRIPT), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    passed = [line[4:] for line in proc.stdout.splitlines() if line.startswith("ARG ")]
    printed = "\n".join(line for line in proc.stdout.splitlines() if not line.startswith("ARG "))
    return printed, passed


def test_make_lab_prints_the_address_to_open_with_its_token(tmp_path):
    printed, passed = _run_lab_script(tmp_path, "--port=8890")
    tokens = [a.split("=", 1)[1] for a in passed if a.startswith("--IdentityProvider.token=")]
    assert len(tokens) == 1 and len(tokens[0]) >= 32, passed
    assert f"http://127.0.0.1:8890/lab?token={tokens[0]}" in printed
    # the server takes that port or stops: the printed address is the server's
    assert "--ServerApp.port_retries=0" in passed and "--port=8890" in passed


def test_make_lab_prints_a_token_it_was_given(tmp_path):
    printed, passed = _run_lab_script(tmp_path, "--IdentityProvider.token=abc123")
    assert "http://127.0.0.1:8888/lab?token=abc123" in printed
    assert [a for a in passed if "token" in a.lower()] == ["--IdentityProvider.token=abc123"]
    printed, passed = _run_lab_script(tmp_path / "env", env_extra={"JUPYTER_TOKEN": "fromenv"})
    assert "http://127.0.0.1:8888/lab?token=fromenv" in printed
    assert not [a for a in passed if "token" in a.lower()]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab as `make lab` starts it, serving a throw-away copy of the project."""
    venv_bin = Path(sys.executable).parent
    if not (venv_bin / "jupyter-lab").exists():
        pytest.fail(f"JupyterLab is not installed in {venv_bin}: {LAB_HINT}")
    work = tmp_path_factory.mktemp("lab")
    project = build.copy_project(work / "project")
    home = work / "home"
    home.mkdir()
    port, token = _free_port(), "wra-test-token"
    log = work / "lab.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON", "MPLCONFIG"))}
    env.update(HOME=str(home), WRA_VENV_BIN=str(venv_bin))
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                "bash",
                str(project / "tools" / "lab.sh"),
                f"--port={port}",
                "--no-browser",
                f"--IdentityProvider.token={token}",
            ],
            cwd=project,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/api/status?token={token}", proc, log)
        # what `make lab` prints first: the address to open, token included
        assert f"{base}/lab?token={token}" in log.read_text(), log.read_text()[:2000]
        yield {"base": base, "token": token, "project": project, "home": home, "log": log}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_for_kernel(lab, page, notebook: str, timeout: float = 120) -> None:
    """Until the notebook's session has a kernel that is idle (JupyterLab starts it on opening).

    Waits with the page's own timer: a plain sleep would stall Playwright's
    request routing, and with it the page.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{lab['base']}/api/sessions?token={lab['token']}", timeout=5) as response:
            sessions = json.load(response)
        for session in sessions:
            if session.get("path") == notebook and (session.get("kernel") or {}).get("execution_state") == "idle":
                return
        page.wait_for_timeout(500)
    pytest.fail(f"no idle kernel for {notebook} after {timeout} s:\n{lab['log'].read_text()[-3000:]}")


@pytest.mark.browser
def test_jupyterlab_runs_notebook_03_and_draws_its_plotly_charts(lab, browser):
    original = (lab["project"] / LAB_NOTEBOOK).read_bytes()
    before = (lab["project"] / LAB_NOTEBOOK).stat().st_mtime_ns
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    external = keep_offline(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{lab['base']}/lab/tree/{LAB_NOTEBOOK}?token={lab['token']}", wait_until="domcontentloaded")
        # opened as a notebook (the project's default viewer), not as text
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
        _wait_for_kernel(lab, page, LAB_NOTEBOOK)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
        page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        page.click("li[data-command='runmenu:run-all']")
        # the last cell's output (the glued values) means every cell has run
        page.wait_for_selector(".jp-OutputArea-output table.wra-glued", state="attached", timeout=240_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
        plots = page.locator(".jp-OutputArea-output.js-plotly-plot")
        charts = 0
        for i in range(plots.count()):
            plots.nth(i).scroll_into_view_if_needed()
            plots.nth(i).locator(".main-svg").first.wait_for(timeout=30_000)
            charts += 1
        shots = Path(paths.BUILD) / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        plots.first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "lab-1366.png"))
        glued = page.locator(".jp-OutputArea-output table.wra-glued").text_content()
        errors_shown = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
        # save: the file must come back exactly as it was
        page.click(".lm-MenuBar-itemLabel:text-is('File')")
        page.click("li[data-command='docmanager:save']")
        deadline = time.monotonic() + 30
        while (lab["project"] / LAB_NOTEBOOK).stat().st_mtime_ns == before and time.monotonic() < deadline:
            page.wait_for_timeout(500)
        page.wait_for_timeout(1000)
    except BaseException:  # pytest.fail too
        shots = Path(paths.BUILD) / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "lab-failure.png"))
        print(
            f"external requests: {external}\npage errors: {errors}\nJupyterLab log:\n{lab['log'].read_text()[-4000:]}"
        )
        raise
    finally:
        context.close()
    assert not external, f"requests left 127.0.0.1: {external}"
    assert charts >= 2, f"notebook 03 has two plotly charts; {charts} drawn"
    assert "str_cross_text" in glued and "21,800" in glued, glued[:500]
    assert not errors_shown, "a cell wrote to stderr"
    assert not [e for e in errors if "Plotly" in e], errors
    assert (lab["project"] / LAB_NOTEBOOK).stat().st_mtime_ns > before, "JupyterLab did not save the notebook"
    assert (lab["project"] / LAB_NOTEBOOK).read_bytes() == original, "saving in JupyterLab changed the notebook"
    written = sorted(p.relative_to(lab["home"]).as_posix() for p in lab["home"].rglob("*"))
    assert not written, f"JupyterLab wrote into the home folder: {written}"
