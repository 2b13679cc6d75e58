"""Pure pydantic contracts between the stages. No I/O lives here."""

from .audience import FeedbackEvent, Note, UserHistory, VideoItem
from .common import (
    ASPECTS,
    CAMERA_MOTIONS,
    TONE_TAGS,
    TRANSITIONS,
    Aspect,
    CameraMotion,
    HexColor,
    Mode,
    Task,
    Tier,
    ToneTag,
    Transition,
    count_words,
)
from .creative import Creative, RenderSettings
from .plan import (
    CreativePlan,
    Grounding,
    HostSummary,
    Integration,
    MatchResult,
    Scene,
    SceneAssets,
    Storyboard,
    TierScore,
)
from .product import AssetLicense, Product
from .profile import (
    Interest,
    LearnedPreferences,
    PreferenceEvidence,
    StyleProfile,
    Trait,
    UserProfile,
    VisualTaste,
)
from .revision import (
    PLAN_LEVEL_CAUSES,
    Directive,
    DirectiveAdapter,
    DirectiveListAdapter,
    FallbackGeneric,
    Recaption,
    RegenerateScene,
    Rematch,
    Retime,
    RewriteHook,
    RewriteScene,
    ScenePatch,
    SwapAsset,
    UpdateProfile,
)
from .verdict import Compliance, Evidence, Finding, JudgeScore, ScreenLine, Utility, Verdict

__all__ = [
    "ASPECTS", "CAMERA_MOTIONS", "PLAN_LEVEL_CAUSES", "TONE_TAGS", "TRANSITIONS",
    "Aspect", "AssetLicense", "CameraMotion", "Compliance", "Creative", "CreativePlan", "Directive",
    "DirectiveAdapter", "DirectiveListAdapter", "Evidence", "FallbackGeneric", "FeedbackEvent", "Finding",
    "Grounding", "HexColor", "HostSummary", "Integration", "Interest", "JudgeScore", "LearnedPreferences", "MatchResult", "Mode",
    "Note", "PreferenceEvidence", "Product", "Recaption", "RegenerateScene", "Rematch", "RenderSettings", "Retime", "RewriteHook",
    "RewriteScene", "Scene", "SceneAssets", "ScenePatch", "Storyboard", "StyleProfile", "SwapAsset", "Task",
    "Tier", "TierScore", "ToneTag", "Trait", "Transition", "UpdateProfile", "UserHistory", "UserProfile",
    "ScreenLine", "Utility", "Verdict", "VideoItem", "VisualTaste", "count_words",
]
