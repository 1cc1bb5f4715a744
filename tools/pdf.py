"""The whole book as one PDF: `make pdf` (and the last step of `make book`).

1. Sphinx's single-page HTML builder puts every page of ``_toc.yml``, in toc
   order, into one page (``_build/singlehtml``), with the same flags as the
   HTML book (``-n -W --keep-going``) and the same execution cache, so nothing
   executes again after ``make book``.
2. Debian's Chromium, driven by Playwright, prints that page with the book's
   print stylesheet (``_static/wra-print.css``): navigation, toggles, code
   and the interactive twins of the charts are hidden, so each chart appears
   once, as its static image, and every figure keeps its number and caption.
   Chinese text is set in the installed CJK font, which Chromium embeds.
3. The page is served on 127.0.0.1; a request to any other host stops the
   build. The PDF goes to ``_build/pdf/western-route-army.pdf`` and, when the
   HTML book exists, beside its front page (``_build/html/``), where the front
   page links to it.

Two things about the PDF's text are set right here, for readers who search,
copy or navigate it:

* **One font for the text.** Printed with the theme's font for Latin and the
  CJK font for Chinese, each switch between the two started a new run of text,
  and text extraction (pypdf, and the viewers that work the same way) put a
  space on both sides of every Chinese run ("( 西路军 ,"). The page is printed
  in the CJK font alone (:func:`one_text_font`; WenQuanYi Micro Hei and Noto
  Sans CJK carry Latin letters too), code within a line too; code blocks keep
  their monospaced font.
* **The outline.** Chromium makes a bookmark of every heading, but it joins a
  heading's wrapped lines without their space ("did thearmy follow?") and gives
  some headings at the top of a page twice ("ActionsActions"). Each bookmark's
  title is set to its heading's text, read from the page (:func:`fix_outline`,
  an incremental update of the file: only the bookmarks are rewritten).

``make pdf`` always prints. ``make book`` passes ``--if-changed``: the PDF is
made again only when its inputs changed, keyed on their content
(:func:`inputs_key`: every file of the built HTML book, which shows every
page's text and outputs, and the machinery that turns it into the PDF), so a
build that changed nothing prints nothing. The key is kept beside the PDF
(``western-route-army.pdf.key``).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PDF_NAME = "western-route-army.pdf"
SINGLE_PAGE = "whole-book.html"
SINGLE = ROOT / "_build" / "singlehtml"
OUT = ROOT / "_build" / "pdf" / PDF_NAME
HTML = ROOT / "_build" / "html"
FOOTER = (
    '<div style="width:100%;font-size:8px;color:#666;padding:0 15mm;display:flex;justify-content:space-between;'
    'font-family:DejaVu Sans,sans-serif"><span>The Western Route Army, 1936–1937</span>'
    '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
)


#: besides the built pages: what turns them into the single page and prints it
MACHINERY = ("tools/pdf.py", "wra_book", "_static", "_templates", "_config.yml", "_toc.yml", "requirements.txt")


def inputs_key(root: Path = ROOT, html: Path = HTML) -> str:
    """The PDF's content key: every file of the built HTML book but the PDF itself, the files of
    :data:`MACHINERY`, and the font the reader's setting names (``WRA_CJK_FONT``)."""
    from wra.presentation import style
    from wra_book.keys import digest_files

    def files(folder: Path, skip=()) -> list[Path]:
        if folder.is_file():
            return [folder]
        return sorted(
            p
            for p in folder.rglob("*")
            if p.is_file() and p.name not in skip and "__pycache__" not in p.parts and p.suffix != ".pyc"
        )

    pages = digest_files(files(html, skip=(PDF_NAME,)), html)
    machinery = [f for name in MACHINERY for f in files(root / name)]
    return digest_files(machinery, root, extra=f"pages={pages};font={os.environ.get(style.FONT_ENV, '')}")


def key_file(out: Path) -> Path:
    return out.with_name(out.name + ".key")


def is_current(out: Path, key: str) -> bool:
    """Whether ``out`` was printed from inputs with this ``key``."""
    try:
        return out.exists() and key_file(out).read_text(encoding="utf-8").strip() == key
    except OSError:
        return False


def build_singlehtml(root: Path = ROOT) -> Path:
    jb = Path(sys.executable).parent / "jupyter-book"
    started = time.perf_counter()
    proc = subprocess.run(
        [
            str(jb if jb.exists() else "jupyter-book"),
            "build",
            str(root),
            "--builder",
            "singlehtml",
            "-n",
            "-W",
            "--keep-going",
        ],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-6000:] + proc.stderr[-6000:])
        raise SystemExit(f"the single-page build failed (exit {proc.returncode})")
    print(f"single-page HTML: {time.perf_counter() - started:.1f} s", flush=True)
    # The builder writes the root document (book/index) to book/index.html, but
    # its links are relative to the output's root: print it from there.
    page = root / "_build" / "singlehtml" / "book" / "index.html"
    if not page.exists():
        raise SystemExit(f"no single page at {page}")
    whole = page.parent.parent / SINGLE_PAGE
    shutil.copyfile(page, whole)
    return whole


#: every element Chromium makes a bookmark of, in document order (headings, and the
#: toctree's captions, which are role="heading")
HEADINGS = "h1, h2, h3, h4, h5, h6, [role=heading]"


def one_text_font(page) -> str | None:
    """Print the page's text in the CJK font alone (it has Latin letters too); the family, or None."""
    from wra.presentation import style

    try:
        family = style.cjk_font()
    except style.FontMissingError:
        return None
    quoted = '"' + family.replace('"', "") + '"'
    page.add_style_tag(
        content="@media print { :root { "
        f"--pst-font-family-base: {quoted}, sans-serif; --pst-font-family-heading: {quoted}, sans-serif; }} "
        # code within a line too (a code block, on lines of its own, keeps its monospaced font)
        f":not(pre) > code, :not(pre) > code * {{ font-family: {quoted}, sans-serif !important; }} }}"
    )
    return family


def fix_outline(path: Path, headings: list[str]) -> int:
    """Set each bookmark's title to its heading's text (``headings``, in document order).

    The file gets an incremental update holding only the bookmarks whose title
    changes. Returns how many changed; if the bookmarks and the headings do not
    pair up one to one, changes nothing and says so.
    """
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, NameObject, NumberObject, TextStringObject

    reader = PdfReader(path)
    items = []

    def walk(node) -> None:
        ref = node.raw_get("/First") if "/First" in node else None
        while ref is not None:
            item = ref.get_object()
            items.append((ref, item))
            walk(item)
            ref = item.raw_get("/Next") if "/Next" in item else None

    outlines = reader.trailer["/Root"].get("/Outlines")
    if outlines is not None:
        walk(outlines.get_object())
    if len(items) != len(headings):
        print(f"warning: {len(items)} bookmarks for {len(headings)} headings: the PDF's outline is left as it is")
        return 0
    changed = []
    for (ref, item), title in zip(items, headings, strict=True):
        if str(item.get("/Title", "")) != title:
            item[NameObject("/Title")] = TextStringObject(title)
            changed.append((ref, item))
    if not changed:
        return 0
    data = path.read_bytes()
    body = bytearray(b"\n")
    offsets = []
    for ref, item in changed:
        offsets.append((ref.idnum, ref.generation, len(data) + len(body)))
        stream = io.BytesIO()
        item.write_to_stream(stream)
        body += f"{ref.idnum} {ref.generation} obj\n".encode() + stream.getvalue() + b"\nendobj\n"
    xref = len(data) + len(body)
    body += b"xref\n0 1\n0000000000 65535 f\r\n"
    for idnum, generation, offset in offsets:
        body += f"{idnum} 1\n{offset:010d} {generation:05d} n\r\n".encode()
    trailer = {k: v for k, v in reader.trailer.items() if k in ("/Size", "/Root", "/Info", "/ID")}
    stream = io.BytesIO()
    new_trailer = DictionaryObject(trailer)
    # the previous cross-reference section: the file's last startxref
    previous = int(re.findall(rb"startxref\s+(\d+)", data[-2048:])[-1])
    new_trailer[NameObject("/Prev")] = NumberObject(previous)
    new_trailer.write_to_stream(stream)
    body += b"trailer\n" + stream.getvalue() + f"\nstartxref\n{xref}\n%%EOF\n".encode()
    with open(path, "ab") as out:
        out.write(body)
    return len(changed)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def print_pdf(folder: Path, page_rel: str, out: Path) -> dict:
    """Print ``folder/page_rel`` to ``out`` in Chromium (print media); return what was seen."""
    from playwright.sync_api import sync_playwright

    from wra_book import chromium
    from wra_book.offline import keep_offline

    executable = chromium.path()
    if executable is None:
        raise SystemExit(f"Chromium not found: {chromium.HINT}")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=executable,
                args=list(chromium.ARGS),
            )
            context = browser.new_context()
            external = keep_offline(context)
            page = context.new_page()
            page.emulate_media(media="print")
            # "load": the whole (long) page is parsed, every script and image fetched
            # ("networkidle" can come earlier, while the parser still waits on a script)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{page_rel}", wait_until="load")
            page.wait_for_function("() => Array.from(document.images).every(i => i.complete)")
            # loaded is not yet painted: an image still being decoded is left out of the print
            page.evaluate("() => Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)))")
            font = one_text_font(page)
            page.evaluate("() => document.fonts.ready.then(() => true)")
            seen = page.evaluate(
                """() => {
                    const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
                    return {
                        images: Array.from(document.images).filter(shown).length,
                        plotly: Array.from(document.querySelectorAll('.wra-plot'))
                            .filter(shown).length,
                        chapters: Array.from(document.querySelectorAll(
                                'span[id^="document-"] + section > :is(h1, h2):not(.rubric)'))
                            .filter(shown).map(h => h.textContent.replace('#', '').trim()),
                    };
                }"""
            )
            # the text of every heading Chromium makes a bookmark of, as the reader sees it
            seen["headings"] = page.evaluate(
                """(selector) => Array.from(document.querySelectorAll(selector))
                    .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
                    .map(e => e.innerText.replace(/\\s+/g, ' ').trim())""",
                HEADINGS,
            )
            seen["font"] = font
            out.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(
                path=str(out),
                format="A4",
                margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                outline=True,
                tagged=True,
            )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    if external:
        raise SystemExit(f"the PDF's page asked for something outside 127.0.0.1: {external}")
    return seen


def make(out: Path = OUT, *, if_changed: bool = False, no_build: bool = False) -> bool:
    """Print the PDF to ``out``; with ``if_changed``, only if its :func:`inputs_key` changed.
    Returns whether it printed."""
    started = time.perf_counter()
    key = None if no_build else inputs_key()
    if if_changed and key is not None and is_current(out, key):
        print(f"PDF: {out} is up to date (nothing it is made from changed)")
        _beside_the_book(out)
        return False
    key_file(out).unlink(missing_ok=True)
    if no_build:
        shutil.copyfile(SINGLE / "book" / "index.html", SINGLE / SINGLE_PAGE)
    else:
        build_singlehtml()
    printed = time.perf_counter()
    seen = print_pdf(SINGLE, SINGLE_PAGE, out)
    if seen["plotly"]:
        raise SystemExit(f"{seen['plotly']} interactive chart(s) would print: the print stylesheet must hide them")
    fixed = fix_outline(out, seen["headings"])
    print(f"PDF outline: {len(seen['headings'])} bookmarks, {fixed} titles set to their headings' text")
    if seen["font"] is None:
        print("warning: no CJK font found: the PDF's text is set in the browser's default fonts")
    size = out.stat().st_size
    print(
        f"PDF: {out} ({size / 1e6:.1f} MB, {len(seen['chapters'])} chapters, {seen['images']} figures; "
        f"printed in {time.perf_counter() - printed:.1f} s, {time.perf_counter() - started:.1f} s in all)"
    )
    if key is not None:
        key_file(out).write_text(key + "\n", encoding="utf-8")
    if _beside_the_book(out):
        print(f"copied to {HTML / PDF_NAME}")
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--no-build", action="store_true", help="print the existing _build/singlehtml")
    parser.add_argument(
        "--if-changed", action="store_true", help="only if the built book or the PDF's machinery changed (make book)"
    )
    args = parser.parse_args(argv)
    make(args.out, if_changed=args.if_changed, no_build=args.no_build)
    return 0


def _beside_the_book(pdf: Path) -> bool:
    """Copy the PDF beside the HTML book's front page, if the book exists and its copy differs."""
    target = HTML / PDF_NAME
    if not (HTML / "index.html").exists() or (target.exists() and target.read_bytes() == pdf.read_bytes()):
        return False
    shutil.copyfile(pdf, target)
    return True


if __name__ == "__main__":
    os.environ.pop("WRA_DATA", None)  # the book is built from the repository's data
    sys.exit(main())
