"""Background jobs: a multi-file upload analysed article by article, with progress and cancel.

Jobs run one at a time on one worker thread (beside the synchronous analyses, which share its
lock on the pipeline) and live in the server's memory: a restart forgets the job pages, not
the articles, which are stored as each one is done.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from unspun.article import Article
from unspun.errors import InputError, UnspunError
from unspun.web.analysis import Analyst

#: Finished jobs kept for their pages; the oldest go first.
KEEP_JOBS = 200


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class Job:
    id: str
    files: list[str]
    status: str = "queued"  # queued, reading, running, done, cancelled, failed
    total: int = 0
    done: int = 0
    articles: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    created: str = field(default_factory=_now)
    finished: str | None = None
    cancel: threading.Event = field(default_factory=threading.Event, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "files": self.files,
            "total": self.total,
            "done": self.done,
            "progress": round(self.done / self.total, 4) if self.total else (1.0 if self.finished else 0.0),
            "articles": self.articles,
            "rejects": self.rejects,
            "created": self.created,
            "finished": self.finished,
            "url": f"/jobs/{self.id}",
        }


def _reject(err: InputError) -> dict[str, Any]:
    return {"code": err.code, "message": err.message, "hint": err.hint, "source": err.source, "line": err.line}


class JobRunner:
    def __init__(self, analyst: Analyst) -> None:
        self.analyst = analyst
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="unspun-job")

    def submit(self, uploads: list[tuple[str, bytes]]) -> Job:
        job = Job(id=secrets.token_urlsafe(12), files=[name for name, _ in uploads])
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP_JOBS:
                oldest = next(iter(self._jobs))
                if self._jobs[oldest].finished is None:
                    break
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job, uploads)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def cancel(self, job_id: str) -> Job | None:
        job = self.get(job_id)
        if job is not None and job.finished is None:
            job.cancel.set()
        return job

    def shutdown(self) -> None:
        with self._lock:
            for job in self._jobs.values():
                job.cancel.set()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: Job, uploads: list[tuple[str, bytes]]) -> None:
        try:
            job.status = "reading"
            articles: list[Article] = []
            for name, data in uploads:
                for item in self.analyst.read_upload(name, data):
                    if isinstance(item, InputError):
                        job.rejects.append(_reject(item))
                        self.analyst.store.add_reject(item)
                    else:
                        articles.append(item)
            job.total = len(articles)
            job.status = "running"
            for article in articles:
                if job.cancel.is_set():
                    job.status = "cancelled"
                    return
                analysis = self.analyst.analyse(article)
                job.articles.append({"id": analysis.article.id, "title": analysis.article.title, "url": f"/articles/{analysis.article.id}"})
                job.done += 1
            job.status = "cancelled" if job.cancel.is_set() and job.done < job.total else "done"
        except UnspunError as exc:
            job.rejects.append({"code": exc.code, "message": exc.message, "hint": exc.hint, "source": None, "line": None})
            job.status = "failed"
        except Exception as exc:  # a bug must end the job visibly, never leave it "running"
            job.rejects.append({"code": "E600", "message": f"{type(exc).__name__}", "hint": "", "source": None, "line": None})
            job.status = "failed"
        finally:
            job.finished = _now()


__all__ = ["Job", "JobRunner"]
