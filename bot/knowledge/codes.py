"""Fixed identifiers of the knowledge base: other tools, plans and tests refer to them."""

from __future__ import annotations

LANGS: tuple[str, ...] = ("lv", "ru")
AUDIENCES: tuple[str, ...] = ("teacher", "coordinator", "parent")
SECTIONS: tuple[str, ...] = ("programme", "plan", "risks", "measures", "parents", "coordinators")
MEASURE_KINDS: tuple[str, ...] = ("consultation", "compensation", "project", "other")

# The article ids of /work/shared/kb-catalogue.md, in the section order of knowledge/CODES.md.
# Articles may be added; none of these may be renamed or dropped.
FIXED_IDS: tuple[str, ...] = (
    # programme
    "about-programme",
    "early-leaving",
    "glossary",
    "roles",
    "who-qualifies",
    "data-protection",
    # plan
    "plan-what",
    "plan-steps",
    "goals-smart",
    "responsible-deadlines",
    "parent-involvement",
    "pupil-voice",
    "consultation-records",
    "plan-review",
    "remote-support",
    "semester-evaluation",
    "close-or-continue",
    # risks
    "warning-signs",
    "risk-learning",
    "risk-economic",
    "risk-family",
    "risk-social-health",
    "risk-assessment",
    "absences-rules",
    "bullying",
    "long-absence",
    # measures
    "measures-overview",
    "measure-subject-consultations",
    "measure-specialists",
    "measure-material",
    "measure-youth-initiatives",
    # parents
    "parent-refuses-school",
    "parent-talking",
    "parent-rights",
    "help-outside-school",
    # coordinators
    "coordinator-indicators",
    "coordinator-calendar",
    "programme-figures",
)

# Catalogue codes of knowledge/CODES.md: plans store them, so none may disappear.
FIXED_FACTORS: dict[str, tuple[str, ...]] = {
    "learning": (
        "knowledge-gaps",
        "low-achievement",
        "content-difficulty",
        "language-barrier",
        "unjustified-absences",
        "learning-dislike",
        "low-motivation",
        "conflicts",
        "overload",
        "repeat-year-risk",
    ),
    "economic": (
        "low-income",
        "transport-costs",
        "meal-costs",
        "dormitory-costs",
        "paid-work",
        "lacking-essentials",
    ),
    "family": (
        "low-parent-involvement",
        "parenting-skills",
        "family-environment",
        "early-marriage",
        "parents-abroad",
    ),
    "social-health": (
        "health-problems",
        "pregnancy",
        "psycho-emotional",
        "addictions",
        "peer-influence",
    ),
}

FIXED_MEASURES: dict[str, tuple[str, ...]] = {
    "consultation": (
        "subject-consultations",
        "psychologist",
        "social-pedagogue",
        "teacher-assistant",
        "special-pedagogue",
        "speech-therapist",
        "sign-language-interpreter",
        "personal-assistant",
        "occupational-therapist",
    ),
    "compensation": (
        "transport-compensation",
        "dormitory-compensation",
        "meal-compensation",
        "learning-aids",
        "clothing-hygiene",
        "special-transport",
    ),
    "project": ("youth-initiative",),
    "other": ("mentor",),
}
