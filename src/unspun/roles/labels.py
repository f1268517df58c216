"""The roles of SemEval-2025 Task 10 subtask 1: three main roles and their 22 fine roles.

Every fine role belongs to exactly one main role; a prediction whose fine roles belong to
another main role is invalid in the task's scorer, so the model only ever picks fine roles
of the main role it chose.
"""

from __future__ import annotations

MAIN_ROLES: tuple[str, ...] = ("Protagonist", "Antagonist", "Innocent")

FINE_ROLES_OF: dict[str, tuple[str, ...]] = {
    "Protagonist": ("Guardian", "Martyr", "Peacemaker", "Rebel", "Underdog", "Virtuous"),
    "Antagonist": (
        "Instigator", "Conspirator", "Tyrant", "Foreign Adversary", "Traitor", "Spy",
        "Saboteur", "Corrupt", "Incompetent", "Terrorist", "Deceiver", "Bigot",
    ),
    "Innocent": ("Forgotten", "Exploited", "Victim", "Scapegoat"),
}  # fmt: skip

FINE_ROLES: tuple[str, ...] = tuple(f for m in MAIN_ROLES for f in FINE_ROLES_OF[m])

MAIN_ROLE_OF: dict[str, str] = {f: m for m, fs in FINE_ROLES_OF.items() for f in fs}

__all__ = ["FINE_ROLES", "FINE_ROLES_OF", "MAIN_ROLES", "MAIN_ROLE_OF"]
