"""SemEval-2025 Task 10 subtask 1 end to end: a mention file in, a prediction file out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from unspun.roles.features import ArticleView, ParsedToken
from unspun.roles.files import Mention, locate, read_documents, read_mentions, write_mentions
from unspun.roles.model import RoleModel, load_model


def predict_mentions(
    mentions: list[Mention],
    documents: dict[str, str],
    model: RoleModel,
    *,
    parser: Callable[[str], Sequence[ParsedToken]] | None = None,
) -> list[Mention]:
    """Each mention with the model's main role and fine roles, in the given order.

    Rows keep the offsets they came with, as the scorer matches on them; the features are
    read at the nearest offsets that give the entity string. ``parser`` gives the dependency
    parse the model was trained with (:func:`unspun.roles.parsing.parse_text`).
    """
    views: dict[str, ArticleView] = {}
    out: list[Mention] = []
    for m in mentions:
        text = documents.get(m.file)
        if text is None:
            raise FileNotFoundError(f"{m.file}: named in the mention file, not in the documents")
        if m.file not in views:
            views[m.file] = ArticleView.of(text, parser(text) if parser else ())
        view = views[m.file]
        (p,) = model.predict(view, [locate(text, m)])
        out.append(
            Mention(m.file, m.entity, m.start, m.end, main_role=p.main_role, fine_roles=p.fine_roles)
        )
    return out


def predict_file(
    docs_dir: Path,
    mentions_path: Path,
    out: Path,
    *,
    model_dir: Path | None = None,
    parse: bool = True,
) -> int:
    """Write one prediction row per row of ``mentions_path``; returns how many.

    ``parse=False`` skips the English dependency parse (faster; the ``dep`` features stay empty).
    """
    model = load_model(model_dir)
    parser = None
    if parse:
        from unspun.roles.parsing import parse_text

        parser = parse_text
    rows = predict_mentions(read_mentions(mentions_path), read_documents(docs_dir), model, parser=parser)
    return write_mentions(out, rows)


__all__ = ["predict_file", "predict_mentions"]
