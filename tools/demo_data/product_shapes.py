"""Shaded product silhouettes drawn on a transparent 1600x1600 layer (one function per product shape)."""

from __future__ import annotations

import math

from PIL import Image, ImageDraw, ImageFilter

from .draw_kit import RGB, darker, gloss, lighter, mix, rgb, shaded_shape, shape_mask

N = 1600


def part(layer: Image.Image, fn, color, light: str = "left", hl: float = 0.45, sh: float = 0.35) -> Image.Image:
    """Draw one shaded part: `fn(draw)` paints the silhouette, shading comes from `light`."""
    mask = shape_mask(layer.size, fn)
    canvas = Image.new("RGB", layer.size)
    shaded_shape(canvas, mask, color, light, hl, sh)
    layer.paste(canvas, (0, 0), mask)
    return mask


def flat(layer: Image.Image, fn, color) -> None:
    """Draw an unshaded detail (text lines, buttons, screen content)."""
    mask = shape_mask(layer.size, fn)
    layer.paste(Image.new("RGB", layer.size, rgb(color)), (0, 0), mask)


def _gloss(layer: Image.Image, box, opacity: int = 80) -> None:
    rgb_layer = layer.convert("RGB")
    alpha = layer.getchannel("A")
    gloss(rgb_layer, box, opacity)
    rgb_layer.putalpha(alpha)
    layer.paste(rgb_layer)


def phone(L: Image.Image, c: list[RGB], screen=None) -> None:
    part(L, lambda d: d.rounded_rectangle((560, 250, 1040, 1350), radius=90, fill=255), c[0], "left", 0.35, 0.45)
    flat(L, lambda d: d.rounded_rectangle((590, 285, 1010, 1315), radius=66, fill=255), (12, 12, 16))
    part(L, lambda d: d.rounded_rectangle((604, 300, 996, 1300), radius=56, fill=255), c[1], "top", 0.25, 0.55)
    (screen or _wallpaper)(L, c)
    flat(L, lambda d: d.ellipse((782, 318, 818, 354), fill=255), (10, 10, 12))
    flat(L, lambda d: d.rounded_rectangle((1040, 470, 1056, 590), radius=6, fill=255), darker(c[0], 0.3))
    _gloss(L, (640, 320, 700, 1260), 60)


def _wallpaper(L: Image.Image, c: list[RGB]) -> None:
    for k in range(3):
        r = 300 - k * 80
        part(L, lambda d, r=r: d.ellipse((800 - r, 800 - r, 800 + r, 800 + r), fill=255),
             mix(c[1], c[2], 0.25 * k), "left", 0.3, 0.3)
    flat(L, lambda d: d.text((700, 420), "9:41", fill=255, font_size=90), c[2])


def headphones(L: Image.Image, c: list[RGB]) -> None:
    def band(d):
        d.arc((420, 260, 1180, 1100), 185, 355, fill=255, width=90)
    part(L, band, c[0], "top", 0.4, 0.4)
    for x0 in (330, 1070):
        part(L, lambda d, x0=x0: d.rounded_rectangle((x0 + 40, 620, x0 + 160, 760), radius=30, fill=255),
             mix(c[0], (160, 160, 170), 0.5), "left")
        part(L, lambda d, x0=x0: d.rounded_rectangle((x0, 720, x0 + 200, 1140), radius=100, fill=255), c[0],
             "left" if x0 < 800 else "right", 0.35, 0.4)
        flat(L, lambda d, x0=x0: d.rounded_rectangle((x0 + 70, 800, x0 + 130, 1060), radius=30, fill=255), c[1])
    _gloss(L, (360, 760, 400, 1080), 70)


def laptop(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.rounded_rectangle((360, 360, 1240, 960), radius=30, fill=255), c[0], "left", 0.35, 0.3)
    flat(L, lambda d: d.rectangle((395, 395, 1205, 925), fill=255), (14, 14, 20))
    part(L, lambda d: d.rectangle((410, 410, 1190, 910), fill=255), c[1], "top", 0.4, 0.5)
    part(L, lambda d: d.ellipse((600, 520, 1000, 920), fill=255), lighter(c[1], 0.4), "left")
    part(L, lambda d: d.polygon([(360, 960), (1240, 960), (1380, 1110), (220, 1110)], fill=255),
         lighter(c[0], 0.15), "top", 0.4, 0.3)
    flat(L, lambda d: d.polygon([(480, 985), (1120, 985), (1180, 1060), (420, 1060)], fill=255), darker(c[0], 0.25))
    flat(L, lambda d: d.rounded_rectangle((700, 1070, 900, 1100), radius=8, fill=255), darker(c[0], 0.15))


def watch(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.rounded_rectangle((650, 150, 950, 1450), radius=60, fill=255), c[0], "left", 0.3, 0.4)
    for y in range(220, 560, 70):
        flat(L, lambda d, y=y: d.ellipse((785, y, 815, y + 30), fill=255), darker(c[0], 0.4))
    part(L, lambda d: d.rounded_rectangle((540, 540, 1060, 1060), radius=140, fill=255), (70, 74, 80), "left", 0.5, 0.5)
    flat(L, lambda d: d.rounded_rectangle((580, 580, 1020, 1020), radius=110, fill=255), (8, 8, 10))
    flat(L, lambda d: d.arc((640, 640, 960, 960), -90, 200, fill=255, width=34), c[1])
    flat(L, lambda d: d.arc((700, 700, 900, 900), -90, 120, fill=255, width=26), lighter(c[0], 0.4))
    flat(L, lambda d: d.rounded_rectangle((1060, 700, 1100, 820), radius=12, fill=255), (90, 90, 96))
    _gloss(L, (600, 600, 700, 1000), 45)


def camera(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.rounded_rectangle((640, 420, 960, 560), radius=30, fill=255), c[0], "top")
    part(L, lambda d: d.rounded_rectangle((300, 520, 1300, 1120), radius=70, fill=255), c[0], "left", 0.35, 0.4)
    part(L, lambda d: d.rectangle((300, 700, 1300, 1000), fill=255), c[1], "left", 0.3, 0.4)
    for k, r in enumerate((290, 240, 170, 100)):
        col = [(40, 40, 44), (24, 24, 28), mix(c[0], (40, 70, 120), 0.6), (20, 40, 70)][k]
        part(L, lambda d, r=r: d.ellipse((800 - r, 820 - r, 800 + r, 820 + r), fill=255), col, "left", 0.4, 0.4)
    flat(L, lambda d: d.ellipse((720, 740, 780, 800), fill=255), (220, 230, 255))
    for x in (380, 1120):
        part(L, lambda d, x=x: d.ellipse((x, 440, x + 110, 540), fill=255), (160, 160, 165), "top")


def speaker(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.rounded_rectangle((450, 450, 1150, 1150), radius=140, fill=255), c[0], "left", 0.35, 0.4)
    for i in range(12):
        for j in range(12):
            x, y = 530 + i * 47, 560 + j * 45
            flat(L, lambda d, x=x, y=y: d.ellipse((x, y, x + 18, y + 18), fill=255), darker(c[0], 0.35))
    flat(L, lambda d: d.rounded_rectangle((620, 1150, 980, 1190), radius=14, fill=255), c[1])
    part(L, lambda d: d.arc((640, 280, 960, 600), 180, 360, fill=255, width=40), c[1], "top")
    _gloss(L, (480, 520, 540, 1080), 60)


def ereader(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.rounded_rectangle((500, 260, 1100, 1340), radius=60, fill=255), c[0], "left", 0.35, 0.4)
    part(L, lambda d: d.rectangle((560, 330, 1040, 1180), fill=255), c[1], "top", 0.35, 0.2)
    for k in range(14):
        w = 420 if k % 5 else 260
        flat(L, lambda d, k=k, w=w: d.rectangle((600, 400 + k * 52, 600 + w, 418 + k * 52), fill=255), (80, 70, 60))
    flat(L, lambda d: d.rounded_rectangle((740, 1230, 860, 1270), radius=16, fill=255), lighter(c[0], 0.3))


def shoe(L: Image.Image, c: list[RGB]) -> None:
    upper = [(260, 980), (300, 760), (520, 700), (640, 560), (800, 520), (880, 640), (1120, 760), (1300, 860),
             (1360, 1000)]
    part(L, lambda d: d.polygon(upper, fill=255), c[0], "top", 0.45, 0.35)
    part(L, lambda d: d.polygon([(640, 560), (800, 520), (860, 620), (700, 690)], fill=255), c[2], "top")
    part(L, lambda d: d.polygon([(520, 860), (1040, 760), (1080, 830), (560, 930)], fill=255), c[1], "left")
    part(L, lambda d: d.rounded_rectangle((230, 960, 1390, 1080), radius=50, fill=255), c[2], "top", 0.3, 0.3)
    part(L, lambda d: d.rounded_rectangle((240, 1060, 1380, 1120), radius=26, fill=255), c[1], "top")
    for k in range(12):
        x = 280 + k * 92
        flat(L, lambda d, x=x: d.rectangle((x, 1110, x + 50, 1150), fill=255), darker(c[1], 0.3))
    for k in range(4):
        x, y = 700 + k * 70, 600 + k * 40
        flat(L, lambda d, x=x, y=y: d.line((x, y, x + 70, y - 50), fill=255, width=16), c[2])
    _gloss(L, (520, 760, 1000, 800), 60)


def serum(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.rounded_rectangle((580, 620, 1020, 1340), radius=90, fill=255), lighter(c[0], 0.3), "left",
         0.5, 0.25)
    part(L, lambda d: d.rounded_rectangle((610, 880, 990, 1310), radius=70, fill=255), c[0], "left", 0.35, 0.3)
    flat(L, lambda d: d.rectangle((640, 720, 960, 840), fill=255), c[1])
    flat(L, lambda d: d.text((665, 745), "HYDRA", fill=255, font_size=70), c[2])
    part(L, lambda d: d.rounded_rectangle((680, 470, 920, 640), radius=24, fill=255), (230, 225, 220), "left", 0.4, 0.4)
    part(L, lambda d: d.rounded_rectangle((730, 230, 870, 500), radius=70, fill=255), c[2], "left", 0.35, 0.4)
    flat(L, lambda d: d.rectangle((790, 640, 810, 1200), fill=255), lighter(c[0], 0.6))
    _gloss(L, (620, 660, 680, 1280), 110)


def coffee_bag(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.polygon([(480, 420), (1120, 420), (1180, 1320), (420, 1320)], fill=255), c[0], "left", 0.3, 0.4)
    part(L, lambda d: d.rectangle((480, 330, 1120, 440), fill=255), darker(c[0], 0.15), "top")
    part(L, lambda d: d.rounded_rectangle((560, 640, 1040, 1080), radius=40, fill=255), c[2], "left", 0.1, 0.15)
    flat(L, lambda d: d.ellipse((700, 700, 900, 900), fill=255), c[1])
    flat(L, lambda d: d.text((630, 930), "SINGLE ORIGIN", fill=255, font_size=46), darker(c[0], 0.2))
    flat(L, lambda d: d.ellipse((770, 500, 830, 560), fill=255), darker(c[0], 0.4))
    for k, (x, y) in enumerate(((300, 1300), (1250, 1260), (1320, 1360), (360, 1400))):
        part(L, lambda d, x=x, y=y: d.ellipse((x, y, x + 100, y + 70), fill=255), mix(c[0], (60, 30, 10), 0.4 + 0.1 * k))


def snack_bar(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.rounded_rectangle((260, 640, 1340, 960), radius=40, fill=255), c[0], "top", 0.45, 0.35)
    for x0, sign in ((230, 1), (1370, -1)):
        for k in range(8):
            y = 650 + k * 38
            flat(L, lambda d, x0=x0, y=y, s=sign: d.polygon([(x0, y), (x0 + 40 * s, y + 19), (x0, y + 38)], fill=255),
                 darker(c[0], 0.15))
    part(L, lambda d: d.rounded_rectangle((520, 690, 1080, 910), radius=60, fill=255), c[1], "top", 0.3, 0.3)
    for k in range(40):
        x, y = 560 + (k * 137) % 480, 710 + (k * 71) % 170
        flat(L, lambda d, x=x, y=y: d.ellipse((x, y, x + 34, y + 22), fill=255), lighter(c[1], 0.45))
    flat(L, lambda d: d.text((600, 760), "OAT+HONEY", fill=255, font_size=72), c[2])
    _gloss(L, (300, 660, 1300, 700), 90)


def hoodie(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.polygon([(520, 480), (300, 760), (240, 1250), (400, 1270), (470, 900), (520, 1350),
                                 (1080, 1350), (1130, 900), (1200, 1270), (1360, 1250), (1300, 760), (1080, 480)],
                                fill=255), c[0], "left", 0.35, 0.35)
    part(L, lambda d: d.ellipse((580, 260, 1020, 640), fill=255), darker(c[0], 0.1), "left")
    flat(L, lambda d: d.ellipse((660, 340, 940, 600), fill=255), darker(c[0], 0.5))
    part(L, lambda d: d.polygon([(620, 1050), (980, 1050), (1040, 1260), (560, 1260)], fill=255), darker(c[0], 0.08))
    for x in (740, 860):
        flat(L, lambda d, x=x: d.line((x, 600, x - 10, 860), fill=255, width=14), c[2])
    flat(L, lambda d: d.rectangle((520, 1320, 1080, 1350), fill=255), c[1])


def skillet(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.rounded_rectangle((1100, 760, 1500, 860), radius=40, fill=255), c[0], "top")
    part(L, lambda d: d.ellipse((220, 440, 1180, 1180), fill=255), c[0], "left", 0.35, 0.45)
    part(L, lambda d: d.ellipse((290, 500, 1110, 1110), fill=255), darker(c[0], 0.25), "right", 0.35, 0.3)
    part(L, lambda d: d.ellipse((520, 620, 780, 840), fill=255), (250, 220, 120), "left")
    flat(L, lambda d: d.ellipse((610, 690, 690, 770), fill=255), (240, 170, 40))
    flat(L, lambda d: d.ellipse((1440, 790, 1480, 830), fill=255), c[2])
    _gloss(L, (320, 560, 380, 1000), 50)


def candle(L: Image.Image, c: list[RGB]) -> None:
    glow = Image.new("L", L.size, 0)
    ImageDraw.Draw(glow).ellipse((600, 160, 1000, 560), fill=140)
    L.paste(Image.new("RGB", L.size, (255, 210, 120)), (0, 0), glow.filter(ImageFilter.GaussianBlur(60)))
    part(L, lambda d: d.rounded_rectangle((520, 560, 1080, 1300), radius=60, fill=255), c[0], "left", 0.45, 0.4)
    part(L, lambda d: d.ellipse((540, 520, 1060, 640), fill=255), c[1], "top", 0.2, 0.2)
    flat(L, lambda d: d.rectangle((795, 470, 805, 580), fill=255), (40, 30, 30))
    part(L, lambda d: d.ellipse((765, 330, 835, 500), fill=255), (255, 190, 80), "top", 0.7, 0.2)
    flat(L, lambda d: d.rounded_rectangle((600, 820, 1000, 1100), radius=20, fill=255), c[1])
    flat(L, lambda d: d.text((650, 920), "AMBER", fill=255, font_size=90), c[2])
    _gloss(L, (560, 620, 620, 1250), 90)


def can(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.rounded_rectangle((560, 300, 1040, 1340), radius=50, fill=255), c[0], "left", 0.45, 0.4)
    part(L, lambda d: d.ellipse((560, 250, 1040, 370), fill=255), (200, 205, 210), "top", 0.5, 0.3)
    flat(L, lambda d: d.rounded_rectangle((740, 280, 860, 320), radius=16, fill=255), (150, 155, 160))
    part(L, lambda d: d.rectangle((560, 680, 1040, 960), fill=255), c[2], "left", 0.05, 0.35)
    flat(L, lambda d: d.text((610, 760), "LIME", fill=255, font_size=130), c[0])
    for k in range(9):
        x, y, r = 620 + (k * 53) % 360, 420 + (k * 97) % 220, 12 + k % 3 * 6
        flat(L, lambda d, x=x, y=y, r=r: d.ellipse((x, y, x + r, y + r), fill=255), c[1])
    _gloss(L, (600, 360, 660, 1300), 110)


def drill(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.rounded_rectangle((560, 1100, 1040, 1300), radius=40, fill=255), c[1], "top")
    part(L, lambda d: d.polygon([(720, 700), (900, 700), (960, 1120), (660, 1120)], fill=255), c[1], "left", 0.3, 0.4)
    part(L, lambda d: d.rounded_rectangle((480, 460, 1200, 760), radius=130, fill=255), c[0], "top", 0.45, 0.35)
    part(L, lambda d: d.rounded_rectangle((1180, 540, 1330, 680), radius=24, fill=255), (60, 60, 66), "top")
    part(L, lambda d: d.polygon([(1330, 585), (1520, 600), (1520, 620), (1330, 635)], fill=255), (190, 195, 200), "top")
    flat(L, lambda d: d.rounded_rectangle((760, 760, 820, 860), radius=16, fill=255), (40, 40, 40))
    flat(L, lambda d: d.text((600, 570), "20V", fill=255, font_size=110), c[1])
    _gloss(L, (560, 490, 1100, 540), 90)


def music_app(L: Image.Image, c: list[RGB]) -> None:
    def screen(layer, cc):
        part(layer, lambda d: d.rounded_rectangle((660, 420, 940, 700), radius=24, fill=255), cc[0], "left", 0.5, 0.4)
        flat(layer, lambda d: d.ellipse((740, 500, 860, 620), fill=255), cc[1])
        flat(layer, lambda d: d.rounded_rectangle((660, 760, 940, 780), radius=10, fill=255), lighter(cc[2], 0.2))
        flat(layer, lambda d: d.rounded_rectangle((660, 760, 820, 780), radius=10, fill=255), cc[2])
        flat(layer, lambda d: d.ellipse((740, 840, 860, 960), fill=255), cc[2])
        flat(layer, lambda d: d.polygon([(785, 870), (785, 930), (835, 900)], fill=255), cc[0])
        for k in range(9):
            h = 30 + int(60 * abs(math.sin(k * 1.3)))
            x = 640 + k * 36
            flat(layer, lambda d, x=x, h=h: d.rounded_rectangle((x, 1100 - h, x + 22, 1100), radius=8, fill=255), cc[2])
    phone(L, [darker(c[0], 0.4), lighter(c[0], 0.15), c[2]], screen=screen)


def tv_app(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.rounded_rectangle((200, 330, 1400, 1060), radius=24, fill=255), (30, 30, 34), "left", 0.3, 0.4)
    part(L, lambda d: d.rectangle((235, 365, 1365, 1025), fill=255), darker(c[0], 0.45), "top", 0.3, 0.5)
    flat(L, lambda d: d.ellipse((720, 520, 880, 680), fill=255), c[0])
    flat(L, lambda d: d.polygon([(775, 555), (775, 645), (850, 600)], fill=255), (255, 255, 255))
    for k in range(5):
        x = 270 + k * 218
        flat(L, lambda d, x=x, k=k: d.rounded_rectangle((x, 800, x + 196, 980), radius=12, fill=255),
             mix(c[1], c[0], k / 5))
    part(L, lambda d: d.polygon([(760, 1060), (840, 1060), (900, 1200), (700, 1200)], fill=255), (40, 40, 44))
    part(L, lambda d: d.rounded_rectangle((560, 1190, 1040, 1230), radius=12, fill=255), (50, 50, 54), "top")


def car(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.polygon([(520, 700), (640, 520), (1020, 520), (1180, 700)], fill=255), c[0], "top", 0.3, 0.3)
    flat(L, lambda d: d.polygon([(580, 690), (670, 560), (830, 560), (830, 690)], fill=255), (180, 220, 235))
    flat(L, lambda d: d.polygon([(860, 560), (1000, 560), (1110, 690), (860, 690)], fill=255), (160, 205, 225))
    part(L, lambda d: d.rounded_rectangle((240, 680, 1380, 960), radius=90, fill=255), c[0], "top", 0.45, 0.35)
    flat(L, lambda d: d.rectangle((260, 800, 1360, 830), fill=255), c[1])
    part(L, lambda d: d.rounded_rectangle((720, 440, 900, 520), radius=18, fill=255), c[1], "top")
    for x in (460, 1140):
        part(L, lambda d, x=x: d.ellipse((x - 130, 840, x + 130, 1100), fill=255), (30, 30, 34), "left")
        part(L, lambda d, x=x: d.ellipse((x - 65, 905, x + 65, 1035), fill=255), (190, 195, 200), "left")
    flat(L, lambda d: d.ellipse((1320, 720, 1370, 770), fill=255), (255, 240, 170))
    _gloss(L, (400, 700, 1200, 740), 80)


def delivery_bag(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.arc((620, 200, 980, 560), 180, 360, fill=255, width=50), darker(c[0], 0.3), "top")
    part(L, lambda d: d.rounded_rectangle((420, 380, 1180, 1300), radius=60, fill=255), c[0], "left", 0.4, 0.4)
    part(L, lambda d: d.rectangle((420, 380, 1180, 520), fill=255), darker(c[0], 0.12), "top")
    flat(L, lambda d: d.ellipse((600, 650, 1000, 1050), fill=255), c[1])
    part(L, lambda d: d.chord((680, 720, 920, 940), 180, 360, fill=255), (210, 140, 60), "top")
    flat(L, lambda d: d.rectangle((680, 830, 920, 860), fill=255), (120, 70, 40))
    part(L, lambda d: d.rounded_rectangle((680, 870, 920, 930), radius=20, fill=255), (210, 140, 60), "top")
    _gloss(L, (460, 560, 520, 1240), 70)


def house_key(L: Image.Image, c: list[RGB]) -> None:
    part(L, lambda d: d.polygon([(300, 760), (800, 320), (1300, 760)], fill=255), c[1], "left", 0.35, 0.35)
    part(L, lambda d: d.rectangle((400, 740, 1200, 1280), fill=255), c[2], "left", 0.1, 0.25)
    part(L, lambda d: d.rectangle((700, 960, 900, 1280), fill=255), c[0], "left")
    for x in (480, 980):
        flat(L, lambda d, x=x: d.rectangle((x, 840, x + 140, 980), fill=255), (250, 220, 140))
    part(L, lambda d: d.ellipse((1060, 980, 1340, 1260), fill=255), (230, 190, 60), "left", 0.5, 0.35)
    flat(L, lambda d: d.ellipse((1150, 1070, 1250, 1170), fill=255), (0, 0, 0))
    part(L, lambda d: d.rectangle((1300, 1095, 1540, 1145), fill=255), (230, 190, 60), "top")
    for x in (1440, 1500):
        part(L, lambda d, x=x: d.rectangle((x, 1140, x + 30, 1210), fill=255), (230, 190, 60), "top")


SHAPES = {
    "phone": phone, "headphones": headphones, "laptop": laptop, "watch": watch, "camera": camera,
    "speaker": speaker, "ereader": ereader, "shoe": shoe, "serum": serum, "coffee_bag": coffee_bag,
    "snack_bar": snack_bar, "hoodie": hoodie, "skillet": skillet, "candle": candle, "can": can, "drill": drill,
    "music_app": music_app, "tv_app": tv_app, "car": car, "delivery_bag": delivery_bag, "house_key": house_key,
}
