"""Entity framing: the role an article casts each actor in (SemEval-2025 Task 10 subtask 1).

Three main roles (Protagonist, Antagonist, Innocent) and 22 fine roles; a linear model over
the words around each mention, run with numpy. The task's data may not be redistributed;
nothing here ships any of it.
"""

from __future__ import annotations

from unspun.roles.files import Mention, read_documents, read_mentions, write_mentions
from unspun.roles.labels import FINE_ROLES, FINE_ROLES_OF, MAIN_ROLE_OF, MAIN_ROLES
from unspun.roles.model import RoleModel, RolePrediction, load_model
from unspun.roles.scoring import RoleScores, score_roles
from unspun.roles.semeval import predict_file, predict_mentions

__all__ = [
    "FINE_ROLES",
    "FINE_ROLES_OF",
    "MAIN_ROLES",
    "MAIN_ROLE_OF",
    "Mention",
    "RoleModel",
    "RolePrediction",
    "RoleScores",
    "load_model",
    "predict_file",
    "predict_mentions",
    "read_documents",
    "read_mentions",
    "score_roles",
    "write_mentions",
]
