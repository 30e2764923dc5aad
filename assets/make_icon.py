"""Draw the course's page icon (assets/icon.png): a path stepping down into a bowl, in Adam's vermillion.

Served by the app itself (``st.set_page_config(page_icon=...)``), so a school network that filters
font servers still shows it. Run ``python assets/make_icon.py`` to redraw it.
"""

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 64
VERMILLION = (213, 94, 0, 255)
BLUE = (0, 114, 178, 255)


def draw_icon():
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    for inset in (4, 14, 24):                       # the contours of a bowl
        pen.ellipse((inset, inset + 4, SIZE - inset, SIZE - inset - 4), outline=BLUE, width=3)
    path = [(8, 12), (22, 20), (30, 27), (32, 31)]  # an optimizer's steps toward the minimum
    pen.line(path, fill=VERMILLION, width=4)
    for x, y in path:
        pen.ellipse((x - 4, y - 4, x + 4, y + 4), fill=VERMILLION)
    return image


if __name__ == "__main__":
    draw_icon().save(Path(__file__).with_name("icon.png"), optimize=True)
