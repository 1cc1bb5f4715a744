#!/usr/bin/env bash
# Make sure a system package the book needs is present.
#   tools/system-deps.sh font      a CJK font for Chinese in figures and pages
#   tools/system-deps.sh chromium  Debian's Chromium, for the browser tests
# As root on Debian/Ubuntu it installs what is missing with apt-get; otherwise
# it stops and names the exact command to run (for the font, also how to use
# one installed per user in ~/.local/share/fonts or named by WRA_CJK_FONT).
set -euo pipefail

PY=${PY:-.venv/bin/python}

have_font() {
    "$PY" -c "from wra.presentation.style import cjk_font; cjk_font()" >/dev/null 2>&1
}

named_font_problem() {
    # Why the font WRA_CJK_FONT names cannot be used, in one line (no traceback).
    "$PY" -c "from wra.presentation import style
try:
    style.cjk_font()
except Exception as exc:
    print(' '.join(str(exc).split()) or type(exc).__name__)" 2>/dev/null
}

font_help() {
    # Why no font was found and how to get one without root (per user, or WRA_CJK_FONT).
    "$PY" -c "from wra.presentation import style
try:
    style.cjk_font()
except style.FontMissingError as exc:
    print(exc)" | fold -s -w 90 | sed 's/^/       /' >&2
}

have_chromium() {
    [ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ] || [ -n "${WRA_CHROMIUM:-}" ]
}

apt_install() {
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing $* with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    else
        echo "error: missing system package(s): $*" >&2
        echo "       run: sudo apt-get install $*" >&2
        [ "$1" != fonts-wqy-microhei ] || font_help
        exit 1
    fi
}

case "${1:-}" in
    font)
        if [ -n "${WRA_CJK_FONT:-}" ] && ! have_font; then
            echo "error: $(named_font_problem)" >&2
            exit 1
        fi
        if ! have_font; then
            apt_install fonts-wqy-microhei
            # matplotlib caches its font list; a new font is not seen until it is rebuilt.
            rm -f "$("$PY" -c 'import matplotlib; print(matplotlib.get_cachedir())')"/fontlist-*.json
            have_font || { echo "error: CJK font still not found by matplotlib" >&2; exit 1; }
        fi
        ;;
    chromium)
        have_chromium || apt_install chromium
        have_chromium || { echo "error: chromium still not found" >&2; exit 1; }
        ;;
    *)
        echo "usage: $0 font|chromium" >&2
        exit 2
        ;;
esac
