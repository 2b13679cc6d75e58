"""Shot goals and visual descriptions per beat for the offline storyboard, English and Chinese.

The words a viewer hears or reads are written by the copy engine (director/copy); these tables only describe
shots. Placeholders: {name}, {brand}, {theme}, {world} the user's (or product's) everyday scene, {colours},
{host} the host video's topic, {host_look}, {bridge}.
"""

from __future__ import annotations

# beat -> (shot goal, visual, narration variants, on-screen text variants)
BEATS = {
    "en": {
        "context": ("set the scene in the viewer's world",
                    "{world}, natural light, {colours} tones, no people's faces",
                    ["It starts with your {theme} days.", "Your world runs on {theme}.", "Every {theme} moment counts."],
                    ["Your {theme}", "Back to {theme}", "{theme} mode"]),
        "tension": ("show the small everyday friction",
                    "close detail of {world} where things slow down, {colours} palette",
                    ["Some days, it just takes too long.", "There is always one thing in the way.",
                     "You know that moment."],
                    ["There's a better way", "Sound familiar?", "Not anymore"]),
        "reveal": ("reveal the product",
                   "product image enters frame on a clean {colours} surface, soft shadow",
                   ["Enter {name}.", "Meet {name} from {brand}.", "{name}. Built for this."],
                   ["Meet {name}", "{name}", "New: {name}"]),
        "feature": ("prove one claim from the product facts",
                    "product close-up with a clean caption card stating the claim",
                    ["{point}"],
                    ["{short}"]),
        "in_use": ("show the product in use in the viewer's world",
                   "the product in use amid {world}, {colours} light, hands only",
                   ["{name} fits right into {theme}.", "Right where you need it.", "It just works, every time."],
                   ["Made for {theme}", "In your hands", "Everyday ready"]),
        "payoff": ("show the result and the feeling",
                   "wide calm shot of {world} finished and tidy, product in view",
                   ["More time for what you love.", "That's the difference.", "Done, and done well."],
                   ["Worth it", "Feel the difference", "That's better"]),
    },
    "zh": {
        "context": ("进入用户的日常场景", "{world}，自然光，{colours}色调，不出现人脸",
                    ["从你的{theme}日常开始。", "属于你的{theme}时光。"], ["你的{theme}", "回到{theme}"]),
        "tension": ("呈现一个小小的日常困扰", "{world}的细节特写，节奏放慢",
                    ["总有些时候，事情没那么顺。", "你一定也遇到过。"], ["有更好的办法", "似曾相识？"]),
        "reveal": ("产品登场", "产品图片在干净的{colours}台面上入画，柔和阴影",
                   ["{name}来了。", "认识{brand}的{name}。"], ["认识{name}", "{name}"]),
        "feature": ("用产品事实证明一个卖点", "产品特写配简洁字卡，写明卖点", ["{point}"], ["{short}"]),
        "in_use": ("产品融入用户的场景", "产品出现在{world}中，{colours}光线，只出现双手",
                   ["{name}，刚好融入你的{theme}。", "需要的时候，它就在。"], ["为{theme}而生", "随手可用"]),
        "payoff": ("呈现结果与感受", "{world}的安静远景，产品在画面中",
                   ["把时间留给热爱的事。", "这就是不一样。"], ["值得拥有", "感受不同"]),
    },
}

PCI = {
    "en": {
        "open": ("continue seamlessly from the host video's start frame",
                 "hold the exact start frame composition, then a gentle drift; {host_look}",
                 ["", "Meanwhile, just off camera…"]),
        "bridge": ("let the product appear as a natural object of the host's world",
                   "{name} sits naturally within the host scene ({host}), lit like the host footage; {bridge}",
                   ["{name} was right there all along.", "A small detail: {name}."]),
        "use": ("show the product used casually inside the host's story",
                ["a hand picks up {name} within the host scene, matching its {host_look}",
                 "close detail of {name} in use, host lighting and colours kept",
                 "{name} rests in the background while the host's action carries on"],
                ["{point}", "{name}, part of the moment.", "Just how it fits in."]),
        "return": ("return to the start frame so the host video resumes seamlessly",
                   "ease back to the exact start frame composition; product leaves frame",
                   ["", "Back to it."]),
    },
    "zh": {
        "open": ("从原视频起始帧无缝接续", "保持起始帧构图，轻微移动；{host_look}", ["", "镜头之外……"]),
        "bridge": ("产品作为原视频世界中的自然物件出现", "{name}自然地出现在原视频场景（{host}）中，光线一致；{bridge}",
                   ["{name}，一直都在。", "一个小细节：{name}。"]),
        "use": ("产品在原视频情节中被自然使用",
                ["一只手在原场景中拿起{name}，与其{host_look}一致", "{name}使用中的细节特写，保持原视频的光线与色彩",
                 "{name}安静地留在背景中，原视频的动作继续"],
                ["{point}", "{name}，融入此刻。", "恰到好处。"]),
        "return": ("回到起始帧，原视频无缝继续", "缓缓回到起始帧构图，产品离开画面", ["", "继续。"]),
    },
}
