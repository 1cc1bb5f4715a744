"""The whole book as one PDF (`make pdf`, the last step of `make book`), read with pypdf.

Every chapter of the table of contents is in it, in toc order; Chinese is set
in an embedded CJK font; the figures are numbered and each chart appears once,
as its static image (drawn from the chart's one figure);
the bibliography is in it; and the front page links to it.
"""

from __future__ import annotations

import re

import pytest

from wra.record import paths

pytestmark = pytest.mark.book

PDF_NAME = "western-route-army.pdf"
CJK_FONT = re.compile(r"WenQuanYi|Noto ?Sans ?CJK|NotoSansCJK|SourceHanSans|Source ?Han ?Sans", re.IGNORECASE)


@pytest.fixture(scope="module")
def pdf(html_dir):
    from pypdf import PdfReader

    path = html_dir / PDF_NAME
    if not path.exists():
        pytest.fail(f"no {PDF_NAME} in {html_dir}: `make book` (or `make pdf`) builds it")
    return PdfReader(path)


@pytest.fixture(scope="module")
def text(pdf) -> str:
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() or "" for page in pdf.pages))


def toc_titles() -> list[str]:
    """Each toc page's title (its first `# ` heading), in toc order."""
    from tests.test_notebooks import toc_files

    titles = []
    for docname in toc_files():
        source = (paths.ROOT / f"{docname}.md").read_text(encoding="utf-8")
        body = re.sub(r"\A---\n.*?\n---\n", "", source, flags=re.DOTALL)
        titles.append(re.search(r"^# (.+)$", body, re.MULTILINE).group(1).strip())
    return titles


def test_the_pdf_holds_every_chapter_in_toc_order(text):
    position = 0
    for title in toc_titles():
        found = text.find(title, position)
        assert found >= 0, f"chapter {title!r} is not in the PDF after position {position}"
        position = found + len(title)


def test_chinese_is_set_in_an_embedded_cjk_font(pdf, text):
    fonts = {}
    for page in pdf.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descendant = descendant.get_object()
                descriptor = descendant.get("/FontDescriptor") or {}
                descriptor = descriptor.get_object() if descriptor else {}
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts[str(descendant.get("/BaseFont", font.get("/BaseFont")))] = embedded
    cjk = {name: embedded for name, embedded in fonts.items() if CJK_FONT.search(name)}
    assert cjk, f"no CJK font in the PDF: {sorted(fonts)}"
    assert all(cjk.values()), f"a CJK font is not embedded: {cjk}"
    for words in ("西路军", "倪家营子", "张国焘"):
        assert words in text, f"{words} is not in the PDF's text"


def test_figures_are_numbered_and_each_chart_is_printed_once(pdf, text):
    captions = [int(n) for n in re.findall(r"Fig\. (\d+) ", text)]
    assert captions and sorted(set(captions)) == list(range(1, max(captions) + 1)), captions
    # each chart is one figure, printed as its static image (wra_book/charts.py):
    # one image per figure, nothing else drawn as an image
    assert "Interactive version of" not in text
    assert "[Interactive chart" not in text
    static = sum(
        1
        for path in (paths.ROOT / "notebooks").glob("*.md")
        for name in re.findall(r"name: (fig-[a-z0-9-]+)", path.read_text(encoding="utf-8"))
    )
    images = sum(len(page.images) for page in pdf.pages)
    # each a chart, not the browser's 16-pixel broken-image icon
    sizes = [image.image.size for page in pdf.pages for image in page.images]
    assert all(w >= 300 and h >= 150 for w, h in sizes), f"images too small to be charts: {sizes}"
    assert images == static, f"{images} images in the PDF, {static} static figures in the notebooks"


def test_the_bibliography_and_no_screen_furniture(text):
    assert "Bibliography" in text
    assert "孙焕臻" in text
    for screen_only in ("Show code cell source", "Take the data", "The data it used", "Skip to main content"):
        assert screen_only not in text, f"{screen_only!r} is printed"


def test_the_front_page_offers_the_pdf(html_dir):
    page = (html_dir / "book" / "index.html").read_text(encoding="utf-8")
    assert f'href="../{PDF_NAME}"' in page
    assert (html_dir / PDF_NAME).stat().st_size > 100_000


def _outline(pdf) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(pdf.outline)
    return titles


def _heading_texts(html_dir) -> set[str]:
    """Every heading's text in the HTML book (what a bookmark should say), spaces as a reader sees them."""
    import html

    found = set()
    for path in html_dir.glob("**/*.html"):
        if "_static" in path.parts:
            continue
        page = path.read_text(encoding="utf-8")
        headings = re.findall(r"<h[1-6]\b[^>]*>(.*?)</h[1-6]>", page, re.DOTALL)
        headings += re.findall(r'<p\b[^>]*role="heading"[^>]*>(.*?)</p>', page, re.DOTALL)  # the toctree's captions
        for heading in headings:
            text = re.sub(r'<a class="headerlink".*?</a>', "", heading, flags=re.DOTALL)
            found.add(re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text))).strip())
    return found


def test_one_bookmark_per_heading_with_its_words_intact(pdf, html_dir):
    titles = _outline(pdf)
    assert len(titles) > 100, f"only {len(titles)} bookmarks"
    doubled = [t for t in titles if len(t) % 2 == 0 and t[: len(t) // 2] == t[len(t) // 2 :]]
    assert not doubled, f"doubled bookmarks: {doubled}"
    headings = _heading_texts(html_dir)
    fused = [t for t in titles if t not in headings]
    assert not fused, f"bookmarks that are no heading of the book (words fused or lost?): {fused}"
    for chapter in toc_titles():
        assert chapter in titles, f"no bookmark for {chapter!r}"


def test_every_figure_shares_its_page_with_its_caption(pdf, html_dir):
    import html

    starts = {}
    for path in sorted((html_dir / "notebooks").glob("*.html")):
        page = path.read_text(encoding="utf-8")
        for number, caption in re.findall(
            r'<span class="caption-number">Fig\. (\d+) </span><span class="caption-text">(.*?)</span>', page, re.DOTALL
        ):
            words = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", caption))).split(" ")[:4]
            starts[int(number)] = f"Fig. {number} " + " ".join(words)
    assert len(starts) >= 5, starts
    where = {}
    for number, page in enumerate(pdf.pages, start=1):
        text = re.sub(r"\s+", " ", page.extract_text() or "")
        captions = [n for n, start in starts.items() if start in text]
        for n in captions:
            where[n] = number
        assert len(page.images) == len(captions), (
            f"p. {number}: {len(page.images)} figure image(s) but the caption(s) of {captions or 'none'}"
        )
    assert sorted(where) == sorted(starts), f"captions not found in the PDF: {set(starts) - set(where)}"


CJK = "\u3400-\u9fff"
INJECTED = re.compile(rf"[(（「《“] [{CJK}]|[{CJK}] [,.;:)）」》，。、”]|[{CJK}]  ")


def test_the_text_layer_keeps_chinese_as_it_is_written(pdf):
    """No space put around a Chinese run where the book has none: "(西路军, Xīlù Jūn)", not "( 西路军 ,"."""
    injected = {}
    for number, page in enumerate(pdf.pages, start=1):
        found = INJECTED.findall(page.extract_text() or "")
        if found:
            injected[number] = found[:5]
    assert not injected, f"spaces injected around Chinese, by page: {injected}"
    text = re.sub(r"\s+", " ", "".join(page.extract_text() or "" for page in pdf.pages[:3]))
    assert "(西路军, Xīlù Jūn)" in text, "the front page's first Chinese name is not in the text as written"
