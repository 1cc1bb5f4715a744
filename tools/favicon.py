"""Draw the book's favicon: a white five-pointed star on the Red Army's red.

Writes ``_extra/favicon.ico`` (16, 32 and 48 px). The file is committed; run
this again only to change the icon: ``.venv/bin/python tools/favicon.py``.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "_extra" / "favicon.ico"
RED = (178, 24, 30, 255)
SIZE = 256


def star(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def draw() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, SIZE - 1, SIZE - 1), radius=SIZE // 6, fill=RED)
    pen.polygon(star(SIZE / 2, SIZE * 0.54, SIZE * 0.42, SIZE * 0.17), fill=(255, 255, 255, 255))
    return image


def main() -> None:
    OUT.parent.mkdir(exist_ok=True)
    draw().save(OUT, sizes=[(16, 16), (32, 32), (48, 48)])
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
