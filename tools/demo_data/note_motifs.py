"""Flat illustrations of note themes (mountains, cups, planks, bottles, controllers, bread...) for the demo audience.

Every motif draws on a 960x960 canvas with the owner's palette, so the images carry the person's visual taste.
"""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw

from .draw_kit import RGB, darker, lighter, mix

S = 960


def _j(rng: random.Random, v: float, spread: float = 40) -> int:
    return int(v + rng.uniform(-spread, spread))


def mountains(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.ellipse((_j(rng, 640), _j(rng, 160), _j(rng, 640) + 150, _j(rng, 160) + 150), fill=p[2])
    for k, col in enumerate([lighter(p[0], 0.3), p[0], darker(p[0], 0.25)]):
        base = 520 + k * 120
        pts = [(0, S)]
        x = -80 + k * 60
        while x < S + 200:
            pts += [(x, base + rng.randint(-30, 30)), (x + 150, base - rng.randint(180, 320) + k * 40)]
            x += 300
        pts += [(S, S)]
        d.polygon(pts, fill=col)


def trail(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rectangle((0, 520, S, S), fill=p[3])
    d.polygon([(430, 520), (530, 520), (760, S), (200, S)], fill=p[1])
    for _ in range(7):
        x, y = rng.randint(20, 900), rng.randint(300, 560)
        d.polygon([(x, y - 200), (x - 70, y), (x + 70, y)], fill=darker(p[0], rng.uniform(0, 0.3)))
        d.rectangle((x - 10, y, x + 10, y + 40), fill=darker(p[1], 0.5))
    # a running shoe print of dashes along the path
    for k in range(5):
        y = 600 + k * 70
        d.ellipse((470 + k * 8, y, 500 + k * 8, y + 40), fill=lighter(p[1], 0.4))


def cup(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    cx, cy = _j(rng, 480, 60), _j(rng, 560, 40)
    d.ellipse((cx - 300, cy + 120, cx + 300, cy + 220), fill=darker(p[4], 0.12))
    d.rounded_rectangle((cx - 200, cy - 160, cx + 200, cy + 160), radius=60, fill=p[1])
    d.ellipse((cx + 150, cy - 80, cx + 300, cy + 70), outline=p[1], width=36)
    d.ellipse((cx - 200, cy - 200, cx + 200, cy - 120), fill=darker(p[1], 0.15))
    d.ellipse((cx - 170, cy - 190, cx + 170, cy - 130), fill=mix(p[1], (90, 55, 30), 0.7))
    for k in range(3):
        x = cx - 90 + k * 90
        d.arc((x - 30, cy - 420, x + 30, cy - 240), 100, 260, fill=lighter(p[2], 0.3), width=14)


def beans(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    for _ in range(26):
        x, y = rng.randint(60, 880), rng.randint(60, 880)
        a = rng.uniform(0, 180)
        w, h = 110, 76
        box = Image.new("L", (w, h), 0)
        ImageDraw.Draw(box).ellipse((0, 0, w - 1, h - 1), fill=255)
        col = mix(p[1], (70, 40, 20), rng.uniform(0.4, 0.8))
        d.ellipse((x, y, x + w, y + h), fill=col)
        d.line((x + 10, y + h // 2 + int(8 * math.sin(a)), x + w - 10, y + h // 2 - int(8 * math.sin(a))),
               fill=darker(col, 0.4), width=8)


def record(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    cx, cy, r = _j(rng, 480), _j(rng, 480), 360
    d.rectangle((cx - r - 40, cy - r - 40, cx + r - 160, cy + r + 40), fill=p[2])
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(24, 22, 26))
    for k in range(6):
        rr = r - 30 - k * 40
        d.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), outline=(50, 48, 56), width=4)
    d.ellipse((cx - 110, cy - 110, cx + 110, cy + 110), fill=p[1])
    d.ellipse((cx - 14, cy - 14, cx + 14, cy + 14), fill=p[4])


def guitar(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    cx = _j(rng, 480)
    d.ellipse((cx - 220, 520, cx + 220, 900), fill=p[1])
    d.ellipse((cx - 170, 330, cx + 170, 620), fill=p[1])
    d.ellipse((cx - 60, 560, cx + 60, 680), fill=darker(p[1], 0.6))
    d.rectangle((cx - 28, 60, cx + 28, 600), fill=darker(p[0], 0.2))
    d.rectangle((cx - 50, 40, cx + 50, 140), fill=darker(p[0], 0.4))
    for k in range(4):
        d.line((cx - 15 + k * 10, 100, cx - 15 + k * 10, 820), fill=(230, 230, 230), width=3)


def planks(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    y = 120
    while y < S - 60:
        h = rng.randint(110, 170)
        col = mix(p[1], p[2], rng.uniform(0, 1))
        d.rectangle((60, y, S - 60, y + h - 12), fill=col)
        for _ in range(5):
            gy = rng.randint(y + 10, y + h - 30)
            d.arc((rng.randint(-200, 600), gy - 40, rng.randint(700, 1200), gy + 40), 180, 360,
                  fill=darker(col, 0.2), width=4)
        y += h


def tools(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rectangle((0, 640, S, S), fill=p[2])
    # hammer
    d.rectangle((200, 280, 250, 760), fill=p[1])
    d.rectangle((120, 230, 340, 310), fill=(120, 124, 130))
    # saw
    d.polygon([(420, 700), (860, 520), (880, 600), (440, 760)], fill=(190, 196, 204))
    for k in range(18):
        x = 440 + k * 24
        d.polygon([(x, 760 - k * 9), (x + 12, 780 - k * 9), (x + 24, 752 - k * 9)], fill=(170, 176, 184))
    d.rounded_rectangle((340, 660, 460, 800), radius=30, fill=p[0])
    # drill
    d.rounded_rectangle((560, 240, 820, 340), radius=40, fill=p[3] if len(p) > 3 else p[0])
    d.rectangle((640, 330, 710, 480), fill=darker(p[3], 0.3))
    d.rectangle((500, 275, 565, 305), fill=(150, 150, 155))


def tent(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rectangle((0, 620, S, S), fill=darker(p[3] if len(p) > 3 else p[0], 0.1))
    cx = _j(rng, 480, 80)
    d.polygon([(cx, 260), (cx - 300, 700), (cx + 300, 700)], fill=p[1])
    d.polygon([(cx, 260), (cx + 300, 700), (cx + 120, 700)], fill=darker(p[1], 0.25))
    d.polygon([(cx, 420), (cx - 80, 700), (cx + 80, 700)], fill=darker(p[1], 0.55))
    for x in (80, 850):
        d.polygon([(x, 250), (x - 70, 640), (x + 70, 640)], fill=darker(p[0], 0.2))


def campfire(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rectangle((0, 700, S, S), fill=darker(p[0], 0.3))
    for a in (-0.4, 0.4):
        d.line((480 - 220 * math.cos(a), 820 + 60 * math.sin(a), 480 + 220 * math.cos(a), 760 - 60 * math.sin(a)),
               fill=p[0], width=50)
    for k, col in enumerate([(235, 120, 40), (250, 180, 60), (255, 235, 140)]):
        w = 180 - k * 50
        d.polygon([(480, 300 + k * 90), (480 - w, 780), (480 + w, 780)], fill=col)
    for _ in range(12):
        x, y = rng.randint(300, 660), rng.randint(150, 320)
        d.ellipse((x, y, x + 10, y + 10), fill=(255, 200, 100))


def speaker(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rounded_rectangle((300, 160, 660, 860), radius=40, fill=darker(p[0], 0.2))
    for cy, r in ((360, 90), (640, 160)):
        d.ellipse((480 - r, cy - r, 480 + r, cy + r), fill=(40, 40, 44))
        d.ellipse((480 - r // 3, cy - r // 3, 480 + r // 3, cy + r // 3), fill=p[2])


def bottles(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rectangle((0, 700, S, S), fill=darker(p[4], 0.06))
    xs = [180, 420, 680]
    for k, x in enumerate(xs):
        h = rng.randint(300, 460)
        col = p[k % 3] if p[k % 3] != (255, 255, 255) else p[3]
        d.rounded_rectangle((x - 80, 720 - h, x + 80, 740), radius=36, fill=col)
        d.rectangle((x - 36, 720 - h - 70, x + 36, 720 - h + 4), fill=darker(col, 0.2))
        d.rounded_rectangle((x - 50, 720 - h - 140, x + 50, 720 - h - 60), radius=14, fill=lighter(col, 0.5))
        d.rectangle((x - 60, 560 - h // 3, x + 60, 650 - h // 3), fill=lighter(col, 0.65))
        d.rectangle((x - 60 + 20, 720 - h + 30, x - 40, 700), fill=lighter(col, 0.4))


def drops(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    for _ in range(9):
        x, y, r = rng.randint(100, 860), rng.randint(120, 860), rng.randint(40, 110)
        col = p[rng.randint(0, 3)]
        d.ellipse((x - r, y - r, x + r, y + r), fill=col)
        d.polygon([(x - r * 0.8, y - r * 0.55), (x + r * 0.8, y - r * 0.55), (x, y - r * 2.2)], fill=col)
        d.ellipse((x - r * 0.5, y - r * 0.5, x - r * 0.1, y - r * 0.1), fill=lighter(col, 0.7))


def yoga(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rounded_rectangle((140, 760, 820, 810), radius=20, fill=p[1])
    col = darker(p[3], 0.2)
    d.ellipse((440, 240, 520, 320), fill=col)
    d.line((480, 320, 480, 560), fill=col, width=46)
    d.line((480, 560, 340, 770), fill=col, width=40)
    d.line((480, 560, 620, 770), fill=col, width=40)
    d.line((480, 380, 300, 260), fill=col, width=32)
    d.line((480, 380, 660, 260), fill=col, width=32)
    d.ellipse((700, 120, 860, 280), fill=p[2] if p[2] != (255, 255, 255) else p[0])


def mat(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rectangle((0, 640, S, S), fill=darker(p[4], 0.05))
    d.ellipse((220, 380, 520, 700), fill=p[1])
    d.ellipse((290, 450, 450, 630), fill=darker(p[1], 0.25))
    d.rectangle((370, 380, 900, 700), fill=p[1])
    d.polygon([(140, 300), (260, 300), (300, 700), (100, 700)], fill=p[3])
    d.ellipse((80, 200, 320, 330), fill=(120, 170, 120))


def cake(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.ellipse((150, 740, 810, 840), fill=lighter(p[3] if len(p) > 3 else p[0], 0.3))
    for k, col in enumerate([p[1], p[4] if p[4] != p[1] else p[2], p[1]]):
        y = 720 - k * 110
        d.rectangle((230, y - 110, 730, y), fill=col)
    d.ellipse((230, 340, 730, 430), fill=lighter(p[0], 0.2))
    for k in range(5):
        x = 280 + k * 100
        d.ellipse((x - 24, 330, x + 24, 378), fill=(220, 60, 80))


def bread(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rectangle((0, 680, S, S), fill=p[3] if len(p) > 3 else p[0])
    col = mix(p[1], (196, 130, 60), 0.5)
    cx = _j(rng, 480, 60)
    d.ellipse((cx - 330, 400, cx + 330, 760), fill=col)
    d.ellipse((cx - 300, 420, cx + 280, 700), fill=lighter(col, 0.15))
    for k in range(4):
        x = cx - 200 + k * 130
        d.line((x, 470, x + 70, 640), fill=lighter(col, 0.55), width=22)
    if rng.random() < 0.5:
        d.ellipse((120, 160, 300, 340), fill=(250, 240, 220))


def controller(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    body = (44, 40, 58)
    d.rounded_rectangle((200, 360, 760, 620), radius=120, fill=body)
    d.ellipse((160, 460, 400, 760), fill=body)
    d.ellipse((560, 460, 800, 760), fill=body)
    d.rectangle((290, 440, 320, 540), fill=p[2])
    d.rectangle((255, 475, 355, 505), fill=p[2])
    for k, (dx, dy) in enumerate(((640, 440), (690, 490), (590, 490), (640, 540))):
        d.ellipse((dx - 24, dy - 24, dx + 24, dy + 24), fill=p[1 + k % 3])
    d.rounded_rectangle((200, 350, 760, 372), radius=10, fill=p[1])


def monitor(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rectangle((0, 760, S, S), fill=darker(p[0], 0.3))
    d.rounded_rectangle((120, 160, 840, 600), radius=18, fill=(20, 20, 28))
    d.rectangle((150, 190, 810, 570), fill=p[1])
    for _ in range(6):
        x, y = rng.randint(170, 700), rng.randint(210, 500)
        d.rectangle((x, y, x + rng.randint(40, 120), y + 24), fill=p[2])
    d.rectangle((450, 600, 510, 720), fill=(30, 30, 38))
    d.rounded_rectangle((330, 710, 630, 750), radius=10, fill=(30, 30, 38))
    d.rectangle((0, 752, S, 770), fill=p[3])


def stars(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    for _ in range(14):
        x, y, r = rng.randint(60, 900), rng.randint(60, 900), rng.randint(20, 70)
        pts = []
        for k in range(10):
            rr = r if k % 2 == 0 else r * 0.42
            a = math.pi / 5 * k - math.pi / 2
            pts.append((x + rr * math.cos(a), y + rr * math.sin(a)))
        d.polygon(pts, fill=p[1 + rng.randint(0, 2)])
    d.ellipse((330, 330, 630, 630), fill=p[3])
    d.ellipse((400, 420, 460, 500), fill=(250, 250, 255))
    d.ellipse((500, 420, 560, 500), fill=(250, 250, 255))


def screen(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rounded_rectangle((100, 180, 860, 660), radius=26, fill=(16, 16, 22))
    d.rectangle((130, 210, 830, 630), fill=mix(p[1], p[2], rng.uniform(0.2, 0.8)))
    d.polygon([(430, 340), (430, 500), (560, 420)], fill=(250, 250, 255))
    d.rectangle((130, 600, 830, 612), fill=p[3])


def bowl(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.chord((180, 300, 780, 800), 0, 180, fill=p[1])
    d.ellipse((180, 460, 780, 620), fill=mix(p[2], (200, 120, 50), 0.4))
    for _ in range(10):
        x = rng.randint(240, 680)
        d.arc((x - 60, 470, x + 60, 580), 200, 340, fill=(245, 225, 160), width=10)
    d.ellipse((420, 470, 500, 530), fill=(240, 240, 230))
    d.line((600, 200, 420, 560), fill=darker(p[0], 0.2), width=14)
    d.line((660, 220, 470, 570), fill=darker(p[0], 0.2), width=14)


def skewer(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    for k in range(3):
        x0 = 240 + k * 220
        d.line((x0, 140, x0 + 40, 860), fill=(200, 170, 120), width=10)
        for j in range(4):
            y = 220 + j * 120
            col = mix(p[1], (150, 60, 30), rng.uniform(0.3, 0.8))
            d.rounded_rectangle((x0 - 60 + j * 2, y, x0 + 70 + j * 2, y + 100), radius=30, fill=col)


def lamp(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rectangle((0, 700, S, S), fill=darker(p[0], 0.1))
    d.rounded_rectangle((120, 500, 700, 720), radius=60, fill=p[1])
    d.rounded_rectangle((150, 430, 670, 560), radius=60, fill=lighter(p[1], 0.2))
    d.line((810, 260, 810, 760), fill=darker(p[1], 0.4), width=12)
    d.polygon([(730, 160), (890, 160), (930, 300), (690, 300)], fill=p[2])
    d.ellipse((700, 280, 920, 420), fill=lighter(p[2], 0.5))


def books(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    x = 140
    while x < 820:
        w = rng.randint(60, 110)
        h = rng.randint(380, 560)
        col = p[rng.randint(0, 3)]
        d.rectangle((x, 780 - h, x + w, 780), fill=col)
        d.rectangle((x + 10, 800 - h, x + w - 10, 820 - h), fill=lighter(col, 0.5))
        x += w + 8
    d.rectangle((100, 780, 860, 810), fill=darker(p[1], 0.3))


def plant(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    green = mix(p[3], (60, 130, 70), 0.6)
    for _ in range(9):
        a = rng.uniform(-2.6, -0.5)
        L = rng.randint(200, 360)
        x1, y1 = 480 + L * math.cos(a), 560 + L * math.sin(a)
        d.line((480, 560, x1, y1), fill=darker(green, 0.3), width=10)
        d.ellipse((x1 - 70, y1 - 45, x1 + 70, y1 + 45), fill=mix(green, (255, 255, 255), rng.uniform(0, 0.25)))
    d.polygon([(340, 560), (620, 560), (580, 820), (380, 820)], fill=p[1])


def pot(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    for k, x in enumerate((200, 480, 760)):
        s = rng.randint(90, 140)
        d.polygon([(x - s, 560), (x + s, 560), (x + s * 0.75, 800), (x - s * 0.75, 800)], fill=mix(p[1], (200, 110, 70), 0.5))
        d.ellipse((x - s, 380, x + s, 600), fill=mix(p[3], (80, 150, 80), 0.5 + 0.1 * k))


def backpack(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rounded_rectangle((280, 220, 680, 820), radius=110, fill=p[0])
    d.rounded_rectangle((330, 520, 630, 760), radius=50, fill=darker(p[0], 0.2))
    d.arc((380, 120, 580, 320), 180, 360, fill=darker(p[0], 0.4), width=26)
    d.rectangle((280, 420, 680, 450), fill=p[1])
    d.ellipse((720, 180, 880, 340), fill=p[1])


def map_(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    xs = [120, 360, 600, 840]
    for k in range(3):
        d.polygon([(xs[k], 200 + 40 * (k % 2)), (xs[k + 1], 200 + 40 * ((k + 1) % 2)),
                   (xs[k + 1], 780 + 40 * ((k + 1) % 2)), (xs[k], 780 + 40 * (k % 2))],
                  fill=lighter(p[2], 0.1 * k))
    pts = [(160 + k * 90, 600 - 200 * math.sin(k / 2.0) + rng.randint(-30, 30)) for k in range(8)]
    for a, b in zip(pts, pts[1:], strict=False):
        d.line((a, b), fill=p[3], width=12)
    x, y = pts[-1]
    d.ellipse((x - 40, y - 100, x + 40, y - 20), fill=p[3])
    d.polygon([(x - 36, y - 50), (x + 36, y - 50), (x, y)], fill=p[3])


def camera(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rounded_rectangle((170, 340, 790, 720), radius=40, fill=(50, 50, 56))
    d.rectangle((170, 420, 790, 640), fill=p[1])
    d.rectangle((260, 280, 400, 350), fill=(50, 50, 56))
    d.ellipse((360, 380, 600, 620), fill=(30, 30, 34))
    d.ellipse((410, 430, 550, 570), fill=mix(p[0], (40, 60, 90), 0.5))
    d.ellipse((440, 450, 480, 490), fill=(230, 230, 240))


def film(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rectangle((0, 330, S, 630), fill=(30, 26, 24))
    for k in range(14):
        x = 20 + k * 70
        d.rectangle((x, 345, x + 34, 375), fill=p[4] if len(p) > 4 else (240, 240, 240))
        d.rectangle((x, 585, x + 34, 615), fill=p[4] if len(p) > 4 else (240, 240, 240))
    for k in range(4):
        x = 40 + k * 230
        d.rectangle((x, 395, x + 200, 565), fill=mix(p[k % 4], (255, 200, 120), 0.3))


def city(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.ellipse((660, 120, 820, 280), fill=p[2])
    x = 40
    while x < S - 40:
        w, h = rng.randint(90, 160), rng.randint(240, 600)
        col = mix(p[1], p[4], rng.uniform(0, 0.6))
        d.rectangle((x, 860 - h, x + w, 860), fill=col)
        for yy in range(880 - h, 840, 60):
            for xx in range(x + 16, x + w - 20, 40):
                d.rectangle((xx, yy, xx + 18, yy + 26), fill=lighter(p[2], 0.3))
        x += w + 14
    d.rectangle((0, 860, S, S), fill=darker(p[4], 0.3))


def glucose(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rounded_rectangle((300, 200, 660, 800), radius=70, fill=p[0])
    d.rounded_rectangle((350, 260, 610, 470), radius=20, fill=(225, 240, 230))
    val = str(rng.randint(92, 142))
    for k, ch in enumerate(val):
        x = 390 + k * 70
        d.rectangle((x, 300, x + 44, 420), outline=(40, 60, 50), width=12)
        if ch in "147":
            d.rectangle((x, 355, x + 44, 366), fill=(225, 240, 230))
    d.ellipse((420, 560, 540, 680), fill=darker(p[0], 0.3))
    d.rectangle((460, 800, 500, 900), fill=(235, 235, 240))


def clipboard(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    d.rounded_rectangle((240, 160, 720, 860), radius=30, fill=p[1])
    d.rectangle((280, 220, 680, 820), fill=(250, 250, 246))
    d.rounded_rectangle((400, 130, 560, 200), radius=16, fill=darker(p[1], 0.4))
    pts = [(310 + k * 50, 600 - rng.randint(0, 220)) for k in range(8)]
    for a, b in zip(pts, pts[1:], strict=False):
        d.line((a, b), fill=p[3], width=10)
    for k in range(3):
        d.rectangle((310, 660 + k * 45, 640 - k * 80, 680 + k * 45), fill=lighter(p[0], 0.4))


def lunchbox(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    for k in range(2):
        y = 200 + k * 330
        d.rounded_rectangle((160, y, 800, y + 290), radius=30, fill=(235, 240, 240))
        d.rounded_rectangle((180, y + 20, 470, y + 270), radius=20, fill=mix(p[1], (240, 200, 120), 0.5))
        d.rounded_rectangle((490, y + 20, 780, y + 140), radius=20, fill=mix(p[0], (90, 160, 80), 0.5))
        d.rounded_rectangle((490, y + 150, 780, y + 270), radius=20, fill=p[4])
        for _ in range(6):
            x, yy = rng.randint(200, 440), rng.randint(y + 40, y + 240)
            d.ellipse((x, yy, x + 30, yy + 30), fill=darker(p[1], 0.2))


def flower(d: ImageDraw.ImageDraw, p: list[RGB], rng: random.Random) -> None:
    for _ in range(6):
        x, y = rng.randint(150, 810), rng.randint(200, 600)
        d.line((x, y, x + rng.randint(-30, 30), 900), fill=(70, 130, 60), width=12)
        for k in range(8):
            a = math.pi / 4 * k
            px, py = x + 70 * math.cos(a), y + 70 * math.sin(a)
            d.ellipse((px - 45, py - 45, px + 45, py + 45), fill=p[4] if k % 2 else p[1])
        d.ellipse((x - 40, y - 40, x + 40, y + 40), fill=(240, 200, 60))


MOTIFS = {
    "mountains": mountains, "trail": trail, "cup": cup, "beans": beans, "record": record, "guitar": guitar,
    "planks": planks, "tools": tools, "tent": tent, "campfire": campfire, "speaker": speaker, "bottles": bottles,
    "drops": drops, "yoga": yoga, "mat": mat, "cake": cake, "bread": bread, "controller": controller,
    "monitor": monitor, "stars": stars, "screen": screen, "bowl": bowl, "skewer": skewer, "lamp": lamp,
    "books": books, "plant": plant, "pot": pot, "backpack": backpack, "map": map_, "camera": camera,
    "film": film, "city": city, "glucose": glucose, "clipboard": clipboard, "lunchbox": lunchbox, "flower": flower,
}
