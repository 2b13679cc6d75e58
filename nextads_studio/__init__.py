"""NextAds Studio: generate, verify and evolve personalized video ads, offline by default."""

__version__ = "0.1.0"
AI_LABEL = "AI Created"
