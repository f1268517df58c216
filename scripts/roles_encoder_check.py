"""Can the shared encoder's states tell an entity's role? A check for the roles model.

    .venv/bin/python scripts/roles_encoder_check.py --data ../shared/data [--languages EN,BG,PT,RU,HI]

For every mention of SemEval-2025 Task 10 subtask 1 (train), it reads the shared encoder's
states (the 4-layer multilingual-e5 the persuasion analyzer runs) and builds four vectors:
the mean of the mention's word pieces (M), the mean over every occurrence of the entity's
string in the article (E: the stance that decides a role is spread over the article), the
mention's paragraph (P) and the article (A). Logistic regressions over them are scored on
English mentions in 5 folds grouped by article (as `scripts/train_roles.py` scores the
shipped model), with and without the other languages' mentions in training. Prints main-role
accuracy and fine-role exact match beside the majority role.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np


def mention_vectors(root: Path, lang: str) -> dict[str, np.ndarray]:
    from unspun.article import paragraphs_from_lines
    from unspun.articlelevel.shared import article_vector, pooled
    from unspun.encoder import load_paragraph_encoder
    from unspun.roles.files import locate, read_mentions
    from unspun.semeval25.files import read_documents

    enc = load_paragraph_encoder()
    hidden = enc.hidden_size
    docs = read_documents(root / lang / "train" / "raw-documents")
    by_file: dict[str, list] = {}
    for m in read_mentions(root / lang / "train" / "subtask-1-annotations.txt"):
        by_file.setdefault(m.file, []).append(m)
    cols: dict[str, list] = {k: [] for k in ("M", "E", "P", "A", "main", "fine", "group")}
    for name, mentions in by_file.items():
        text = docs[name]
        paras = paragraphs_from_lines(text)
        encoded = enc.encode([text[p.start : p.end] for p in paras])
        pvec = np.stack([pooled(w, hidden) for w in encoded])
        avec = article_vector(pvec)[:hidden]

        def at(
            s: int, e: int, paras: tuple = paras, encoded: list = encoded, pvec: np.ndarray = pvec
        ) -> tuple[np.ndarray | None, np.ndarray | None]:
            for i, p in enumerate(paras):
                if p.start <= s < p.end:
                    rows = [
                        w.states[1 : len(w.chunk.offsets) + 1][
                            (w.chunk.offsets[:, 0] < min(e, p.end) - p.start) & (w.chunk.offsets[:, 1] > s - p.start)
                        ]
                        for w in encoded[i]
                    ]
                    rows = [r for r in rows if len(r)]
                    return (np.concatenate(rows).mean(0) if rows else None), pvec[i]
            return None, None

        for m in mentions:
            s, e = locate(text, m)
            mv, pv = at(s, e)
            mv = np.zeros(hidden) if mv is None else mv
            occ, k = [], text.find(m.entity)
            while k >= 0 and len(occ) < 50:
                v, _ = at(k, k + len(m.entity))
                if v is not None:
                    occ.append(v)
                k = text.find(m.entity, k + 1)
            cols["M"].append(mv)
            cols["E"].append(np.mean(occ, 0) if occ else mv)
            cols["P"].append(np.zeros(hidden) if pv is None else pv)
            cols["A"].append(avec)
            cols["main"].append(m.main_role)
            cols["fine"].append(tuple(m.fine_roles))
            cols["group"].append(name)
        enc.clear_cache()
    return {k: np.array(v, dtype=object if k == "fine" else None) for k, v in cols.items()}


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold
    from sklearn.preprocessing import StandardScaler

    from unspun.roles.labels import FINE_ROLES, FINE_ROLES_OF, MAIN_ROLES

    warnings.filterwarnings("ignore")
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--languages", default="EN,BG,PT,RU,HI")
    args = ap.parse_args()
    root = args.data / "semeval2025"
    langs = args.languages.split(",")
    data = {lang: mention_vectors(root, lang) for lang in langs}
    en = data["EN"]
    y = np.array([MAIN_ROLES.index(r) for r in en["main"]])
    folds = np.zeros(len(y), dtype=int)
    splitter = StratifiedGroupKFold(5, shuffle=True, random_state=13)
    for k, (_, te) in enumerate(splitter.split(np.zeros(len(y)), y, en["group"])):
        folds[te] = k
    print(f"English mentions {len(y)}; majority main role accuracy {(y == np.bincount(y).argmax()).mean():.3f}")
    others_all = [lang for lang in langs if lang != "EN"]
    for blocks in (["M"], ["M", "E"], ["M", "E", "P"], ["M", "E", "P", "A"]):
        for c in (0.01, 0.1):
            for others in ([], others_all) if others_all else ([],):
                accs, emrs = [], []
                for k in range(5):
                    tr, te = folds != k, folds == k
                    xs = [np.concatenate([en[b] for b in blocks], 1)[tr]]
                    ys = [y[tr]]
                    fs = list(en["fine"][tr])
                    for o in others:
                        xs.append(np.concatenate([data[o][b] for b in blocks], 1))
                        ys.append(np.array([MAIN_ROLES.index(r) for r in data[o]["main"]]))
                        fs += list(data[o]["fine"])
                    sc = StandardScaler().fit(np.concatenate(xs))
                    xt = sc.transform(np.concatenate(xs))
                    xe = sc.transform(np.concatenate([en[b] for b in blocks], 1)[te])
                    main = LogisticRegression(C=c, max_iter=2000).fit(xt, np.concatenate(ys)).predict(xe)
                    accs.append(float((main == y[te]).mean()))
                    yf = np.array([[1 if f in s else 0 for f in FINE_ROLES] for s in fs])
                    p = np.zeros((len(xe), len(FINE_ROLES)))
                    for j in range(len(FINE_ROLES)):
                        if yf[:, j].sum() >= 2:
                            p[:, j] = LogisticRegression(C=c, max_iter=2000).fit(xt, yf[:, j]).predict_proba(xe)[:, 1]
                    gold = list(en["fine"][te])
                    right = 0
                    for i, m in enumerate(main):
                        allowed = [FINE_ROLES.index(f) for f in FINE_ROLES_OF[MAIN_ROLES[m]]]
                        best = max(allowed, key=lambda j: p[i, j])
                        right += set(gold[i]) == {FINE_ROLES[best]}
                    emrs.append(right / len(gold))
                tag = "+".join(others) if others else "EN only"
                print(
                    f"{'+'.join(blocks):8s} C={c:<5} {tag:18s} main accuracy {np.mean(accs):.3f} ± {np.std(accs):.3f}"
                    f"  fine exact match {np.mean(emrs):.3f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
