"""Rebuild the subset fonts: python build_subsets.py EXTRACTED/usr/share/fonts OUT_DIR (needs fonttools)."""
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

src = sys.argv[1]  # usr/share/fonts of the extracted Debian packages
out = sys.argv[2]
# GB2312 covers the 6763 common simplified hanzi; add kana, CJK punctuation, full-width forms and ASCII.
chars = set()
for hi in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xD8)):  # symbols + level-1 hanzi (3755)
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
for a, b in [(0x20, 0x7F), (0x3000, 0x303F), (0x3040, 0x30FF), (0xFF00, 0xFFEF), (0x2010, 0x206F), (0xA0, 0xFF)]:
    chars.update(chr(c) for c in range(a, b))
coll = TTCollection(f"{src}/opentype/noto/NotoSansCJK-Bold.ttc")
font = coll.fonts[2]  # Noto Sans CJK SC
opts = subset.Options()
opts.layout_features = ["*"]
opts.name_IDs = ["*"]
opts.notdef_outline = True
opts.desubroutinize = False
s = subset.Subsetter(opts)
s.populate(text="".join(chars))
s.subset(font)
font.save(f"{out}/NotoSansSC-Bold-subset.otf")
# Emoji: the commonly used ranges of faces, hands, hearts and symbols.
emoji = set()
for a, b in [(0x1F600, 0x1F650), (0x1F44A, 0x1F451), (0x1F493, 0x1F49F), (0x1F525, 0x1F526), (0x2728, 0x2729),
             (0x2B50, 0x2B51), (0x1F389, 0x1F38A), (0x1F680, 0x1F681), (0x2764, 0x2765), (0x1F4A5, 0x1F4AF),
             (0x1F31F, 0x1F320), (0x2705, 0x2706), (0x1F381, 0x1F382), (0x1F3C6, 0x1F3C7), (0x1F4AA, 0x1F4AB),
             (0x1F44D, 0x1F44F), (0x1F64C, 0x1F64F), (0x1F914, 0x1F915), (0x1F929, 0x1F92A), (0x1F973, 0x1F974),
             (0x2600, 0x2601), (0x1F308, 0x1F309), (0x1F4F1, 0x1F4F2), (0x1F4BB, 0x1F4BC), (0x1F3A7, 0x1F3A8),
             (0x1F6D2, 0x1F6D3), (0x1F4B0, 0x1F4B1), (0x1F381, 0x1F382), (0x1F3B5, 0x1F3B7), (0x2615, 0x2616)]:
    emoji.update(chr(c) for c in range(a, b))
ef = TTFont(f"{src}/truetype/noto/NotoColorEmoji.ttf")
eo = subset.Options()
eo.layout_features = ["*"]
eo.name_IDs = ["*"]
s = subset.Subsetter(eo)
s.populate(text="".join(emoji))
s.subset(ef)
ef.save(f"{out}/NotoColorEmoji-subset.ttf")
print(len(chars), len(emoji))
