"""Every error unspun raises or records, with a stable code and a hint.

The tree::

    UnspunError                      any error of unspun's; has .code and .hint
    ├── InputError    (E1xx)         an input could not be read into an article
    │                                (names the file and, where it applies, the line)
    ├── PipelineError (E2xx)         the pipeline is misconfigured; raised before any
    │                                article is analysed
    ├── AnalyzerError (E3xx)         one analyzer failed on one article; recorded on
    │                                that article, the run goes on
    ├── StoreError    (E4xx)         the corpus store or a batch run cannot go on
    │                                (a bad URL, a newer schema, a malformed search)
    └── OutputError   (E5xx)         an output file cannot be written; raised before
                                     any work is done where it can be known then

Codes W1xx are warnings, never raised: an input was read, but something in it had to be
repaired (bytes that are not valid UTF-8 replaced, say). Each is recorded on the article
(``Article.warnings``) and listed at the end of a run.

Codes never change meaning once released; new ones are appended. ``docs/errors.md`` lists
them all and a test keeps it complete.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorCode:
    code: str
    title: str
    hint: str


# The registry of codes. A test checks that docs/errors.md names every one of them.
CODES: dict[str, ErrorCode] = {
    c.code: c
    for c in [
        # Inputs
        ErrorCode("E101", "file not found or not readable", "Check the path and its permissions."),
        ErrorCode("E102", "empty input", "The input holds no text; remove it or fill it."),
        ErrorCode(
            "E103",
            "binary input",
            "This looks like a binary file, not text, HTML, JSONL or CSV. Exclude it with "
            "--exclude, or convert it to text first.",
        ),
        ErrorCode(
            "E104",
            "input too large",
            "Raise the limit with --max-bytes (or UNSPUN_MAX_BYTES) if the file really is one "
            "article, or split it into one article per file or per JSONL line.",
        ),
        ErrorCode(
            "E105",
            "cannot decode text",
            "The bytes are not valid in the detected or given encoding. Pass the right one with "
            "--encoding (for example --encoding latin-1 or --encoding cp1251).",
        ),
        ErrorCode(
            "E106",
            "NUL bytes in text",
            "Text files never hold NUL bytes; the file is probably binary or UTF-16 without a "
            "byte-order mark. Try --encoding utf-16, or exclude the file.",
        ),
        ErrorCode(
            "E107",
            "malformed JSONL line",
            "Each line must be one JSON object. Fix or delete the line; the other lines were read.",
        ),
        ErrorCode(
            "E108",
            "CSV field too large",
            "A field exceeds the limit (UNSPUN_MAX_FIELD_BYTES). Raise the limit or fix the "
            "quoting of the row; the other rows were read.",
        ),
        ErrorCode(
            "E109",
            "line too long",
            "A single line exceeds the limit (UNSPUN_MAX_LINE_BYTES). Split the record or raise "
            "the limit.",
        ),
        ErrorCode(
            "E110",
            "missing field",
            "The record has no text field. Name the field with --text-field (and "
            "--title-field, --id-field ...).",
        ),
        ErrorCode(
            "E111",
            "unknown input format",
            "Name the format with --format-in (text, markdown, html, jsonl, csv).",
        ),
        ErrorCode("E112", "malformed CSV", "Check the CSV's quoting and delimiter."),
        ErrorCode(
            "E113",
            "no text extracted",
            "The HTML page has no main text that the extractor could find (a page of only "
            "navigation or scripts?). Save the article's own page, or its text.",
        ),
        ErrorCode(
            "E114",
            "article too long to analyse",
            "The article has more characters than the language models read in one piece "
            "(--max-chars, UNSPUN_MAX_CHARS; spaCy's parser needs about 1 GB per 100,000 "
            "words). Split it into its real articles, or raise the limit if memory allows.",
        ),
        # Warnings on inputs that were read all the same
        ErrorCode(
            "W101",
            "bytes that are not valid UTF-8 were replaced",
            "The file is UTF-8 but for these bytes, which now read as U+FFFD. If the "
            "file is in another encoding, pass it with --encoding (for example --encoding cp1252).",
        ),
        ErrorCode(
            "W102",
            "lone surrogates were replaced",
            "A JSON string escapes half of a UTF-16 pair (\\udc00, say), which no text can hold; "
            "it now reads as U+FFFD. The program that wrote the file mishandled bytes it could "
            "not decode; fix it there to keep the original characters.",
        ),
        ErrorCode(
            "W103",
            "markup nested too deep was flattened",
            "The page nests its elements deeper than an HTML parser follows; the innermost "
            "wrappers were dropped so that their text could be read. Check the article's "
            "paragraphs against the page.",
        ),
        # Pipeline configuration
        ErrorCode(
            "E201",
            "unknown analyzer",
            "Run `unspun analyzers` to list the installed analyzers.",
        ),
        ErrorCode(
            "E202",
            "analyzer requirement not met",
            "An analyzer needs something that no earlier analyzer adds. Add the analyzer that "
            "provides it, earlier in the pipeline.",
        ),
        ErrorCode(
            "E203",
            "duplicate analyzer",
            "An analyzer appears twice in the pipeline; keep one.",
        ),
        ErrorCode(
            "E204",
            "analyzer does not follow the contract",
            "An analyzer must have a name, a version, requires, assigns and be callable on an "
            "Analysis. See docs/analyzers.md.",
        ),
        ErrorCode(
            "E205",
            "analyzer could not be loaded",
            "The analyzer's entry point failed to import or to build; reinstall the package "
            "that provides it.",
        ),
        # Per-article analyzer failures
        ErrorCode(
            "E301",
            "analyzer failed on this article",
            "The other analyzers and articles went on. Report the error with the article id.",
        ),
        ErrorCode(
            "E302",
            "analyzer skipped: something it needs failed",
            "Fix the earlier failure on this article; this analyzer depends on it.",
        ),
        ErrorCode(
            "E304",
            "analyzer does not read this article's language",
            "The model was not trained on this language, so it adds nothing rather than noise; "
            "`unspun analyzers` lists the languages each analyzer reads.",
        ),
        ErrorCode(
            "E303",
            "analyzer produced an invalid span",
            "A span lay outside the text or had start >= end. This is a bug in the analyzer.",
        ),
        # Corpus store and batch runs
        ErrorCode(
            "E401",
            "unsupported store URL",
            "Give --db as sqlite:///path/to/corpus.db or postgresql://user@host:port/dbname.",
        ),
        ErrorCode(
            "E402",
            "cannot open the store",
            "Check the --db path: only `unspun ingest` makes a store, the other commands read one "
            "it made. A file that is not SQLite or is damaged cannot be read; restore it from a "
            "copy or ingest again. For PostgreSQL, check that the server is running and the user "
            "may connect to the database.",
        ),
        ErrorCode(
            "E403",
            "store schema is newer than this unspun",
            "The store was written by a newer unspun; upgrade unspun to read it.",
        ),
        ErrorCode(
            "E404",
            "malformed search query",
            'Use words, "quoted phrases", OR between alternatives and -word to exclude, for '
            'example: "climate change" OR warming -sport',
        ),
        ErrorCode(
            "E405",
            "a batch worker died",
            "A worker process was killed (out of memory?). Run the same `unspun batch` again: it "
            "resumes where it stopped. Fewer --workers use less memory.",
        ),
        ErrorCode(
            "E406",
            "cannot reach the Dask scheduler",
            "Check the --dask address (for example tcp://127.0.0.1:8786) and that "
            "`pip install 'dask[distributed]'` is done where unspun runs.",
        ),
        ErrorCode(
            "E407",
            "workers run other analyzer versions",
            "The workers (on a Dask cluster, say) have a different unspun or plugin installed "
            "than the machine that runs `unspun batch`; install the same versions on both.",
        ),
        ErrorCode(
            "E408",
            "unknown technique or label",
            "The name matches no span label or article label in the store; the error lists the "
            "closest ones. `unspun stats` and `unspun profile` show the labels a store holds.",
        ),
        ErrorCode(
            "E409",
            "analysis does not match a stored article",
            "Store the article first (Store.add_article). The store keeps the first copy of an "
            "article it is given; a copy that differs only in whitespace or Unicode composition "
            "has the same id but other offsets, so analyse the stored copy (Store.article(id)) "
            "and save that analysis.",
        ),
        # Outputs
        ErrorCode(
            "E501",
            "cannot write the output",
            "Give -o a file path whose folder exists and is writable (not a folder), on a disk "
            "with room to spare.",
        ),
        # The web app and HTTP API (`unspun serve`)
        ErrorCode(
            "E600",
            "unexpected server error",
            "A bug in unspun, not in the request: the server logged it and goes on. Report it "
            "with the time and the address.",
        ),
        ErrorCode(
            "E601",
            "the server is read-only",
            "Start it with `unspun serve --allow-writes`; writes also need a token from "
            "`unspun token create`.",
        ),
        ErrorCode(
            "E602",
            "missing or unknown token",
            "Send `Authorization: Bearer TOKEN` with a token made by `unspun token create` on the "
            "server's machine; in a browser, sign in at /login with it.",
        ),
        ErrorCode(
            "E603",
            "form check failed (CSRF)",
            "The form was not sent from this site's page, or the page is stale. Reload the page "
            "and send the form again; API clients send a bearer token and no cookies.",
        ),
        ErrorCode(
            "E604",
            "request too large",
            "Send less than the cap named in the message (`unspun serve --max-upload-mb`, "
            "`--max-text-chars`), split the upload into several, or use `unspun ingest` for a "
            "large corpus.",
        ),
        ErrorCode(
            "E605",
            "too many analyses (rate limit)",
            "Wait the seconds named in the Retry-After header, or start the server with a higher "
            "`--rate-limit`.",
        ),
        ErrorCode(
            "E606",
            "the request took too long",
            "The analysis ran past the server's time cap (`--time-limit`). Send a shorter text, or "
            "upload the files as a job (POST /api/jobs), which has no time cap.",
        ),
        ErrorCode(
            "E607",
            "fetching URLs is off",
            "Start the server with `unspun serve --allow-fetch` to analyse a page by its URL, or "
            "paste its text or upload the saved page.",
        ),
        ErrorCode(
            "E608",
            "cannot fetch the URL",
            "Check that the address is http(s), reachable from the server and answers with an "
            "HTML or text page (status 200) under the upload cap.",
        ),
        ErrorCode(
            "E609",
            "not found",
            "Check the id or the address; the article list is at / and the jobs' own pages are "
            "at /jobs/ID.",
        ),
        ErrorCode(
            "E610",
            "invalid request",
            "A field or parameter is missing or has the wrong type; the API docs at /docs list "
            "what each route takes.",
        ),
    ]
}


class UnspunError(Exception):
    """Base of every unspun error: a code, a message and a hint on what to do."""

    code: str = "E000"

    def __init__(self, code: str, message: str, *, hint: str | None = None) -> None:
        self.code = code
        self.message = message
        known = CODES.get(code)
        self.hint = hint if hint is not None else (known.hint if known else "")
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.code}: {self.message}"
        return f"{text} {self.hint}" if self.hint else text


class InputError(UnspunError):
    """An input could not be turned into an article."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        source: str,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.source = source
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(code, f"{where}: {message}", hint=hint)


class PipelineError(UnspunError):
    """The pipeline cannot run as configured; raised before any article is analysed."""


class AnalyzerError(UnspunError):
    """One analyzer failed on one article."""


class StoreError(UnspunError):
    """The corpus store or a batch run cannot go on."""


class OutputError(UnspunError):
    """An output file cannot be written."""


__all__ = ["CODES", "AnalyzerError", "ErrorCode", "InputError", "OutputError", "PipelineError", "StoreError", "UnspunError"]
