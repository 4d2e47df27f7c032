"""`evidence add-source`: a reference manager's export, in our conventions, never a duplicate."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, Sequence, TextIO

from ..model import Position, Source
from ..project import Project
from .common import (
    STOP_WORDS,
    ContributeError,
    Prompter,
    SchemaInfo,
    ascii_fold,
    check_term,
    check_terms,
    is_interactive,
    isatty,
    load_bibliography,
    load_schema_info,
)
from .options import AddSourceOptions

# Fields we keep: the bibliographic ones our citation style and exports read, and our own
# coding fields. Everything else a reference manager adds (abstract, file, keywords, langid,
# month, issn, annotation...) is dropped: abstracts are the publisher's text, not ours to copy.
KEEP_FIELDS = ("title", "booktitle", "journal", "year", "volume", "number", "pages", "edition", "chapter",
               "series",
               "type", "institution", "organization", "school", "publisher", "address", "howpublished",
               "onlinedate", "urldate", "doi", "url", "isbn", "note", "incomplete", "provenance", "nodoi",
               "design", "country", "setting", "schemes", "citedin")
VERBATIM_FIELDS = frozenset({"url", "doi"})
# Other names for the same thing (biblatex, as Zotero's Better BibTeX writes it).
RENAME = {"journaltitle": "journal", "location": "address", "issue": "number"}
# Entry types kept as they are; the citation style and the exports understand them.
KEEP_TYPES = {"article", "book", "incollection", "techreport", "misc", "phdthesis", "mastersthesis"}
TYPE_MAP = {"inproceedings": "incollection", "conference": "incollection", "inbook": "incollection",
            "report": "techreport", "thesis": "phdthesis", "proceedings": "book", "collection": "book",
            "mvbook": "book", "online": "misc", "www": "misc", "webpage": "misc", "electronic": "misc",
            "booklet": "misc", "manual": "misc", "unpublished": "misc"}
# Our coding fields, the vocabulary each draws on, and whether it is a list; the value a field
# takes when missing is its vocabulary's x-default in the schema (none: left out).
CODING = (("design", "design", False), ("country", "country", False),
          ("setting", "setting", True), ("schemes", "scheme", True))


def _default(info: SchemaInfo, vname: str) -> str | None:
    v = info.vocab.get(vname)
    return v.meta.get("x-default") if v else None
# A key already in our convention: surname (or acronym) + year + first significant title word.
OUR_KEY = re.compile(r"^[a-z]+(?:-[a-z]+)*(?:[0-9]{4}|nd)[a-z][a-z0-9]*$")
_DATE = re.compile(r"^([0-9]{4})(?:-[0-9]{2}(?:-[0-9]{2})?)?")


@dataclass
class NewSource:
    source: Source           # normalised, with the key it will be written under
    given_key: str
    dropped: tuple[str, ...] = ()
    defaulted: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


def normalise_title(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", ascii_fold(title).lower()))


def _doi_key(doi: str) -> str:
    from ..cite.links import bare_doi

    return bare_doi(doi).lower()


def find_duplicate(src: Source, existing: Mapping[str, Source]) -> tuple[str, str] | None:
    """(key, why) of a work we already hold: same DOI, or same title and year."""
    doi = _doi_key(src.doi)
    title = normalise_title(src.title)
    for key, other in existing.items():
        if doi and _doi_key(other.doi) == doi:
            return key, f"the same DOI ({doi})"
    for key, other in existing.items():
        if title and normalise_title(other.title) == title and other.year.strip() == src.year.strip():
            return key, "the same title and year"
    return None


def _corporate_short(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z0-9]+",
                                   ascii_fold(name).replace("'s", "")) if w.lower() not in STOP_WORDS]
    if len(words) >= 3:
        return "".join(w[0] for w in words).lower()
    return words[0].lower() if words else ""


def _surname(src: Source) -> str:
    people = [p for p in src.creators if p.family and p.family != "others"]
    if not people:
        return ""
    first = people[0]
    if first.corporate:
        return _corporate_short(first.family)
    return re.sub(r"[^a-z]", "", ascii_fold(first.family).lower())


def _title_words(title: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", ascii_fold(title).lower().replace("'", ""))
    return [w for w in words if w not in STOP_WORDS and not w.isdigit()] or words


def make_key(src: Source, taken: set[str]) -> str:
    """surname + year + first significant title word; then two title words, then a number, until
    it is free."""
    name = _surname(src) or (_title_words(src.title)[:1] or ["anon"])[0]
    year = src.year if re.fullmatch(r"[0-9]{4}", src.year.strip()) else "nd"
    words = _title_words(src.title) or ["untitled"]
    candidates = [f"{name}{year}{words[0]}"]
    if len(words) > 1:
        candidates.append(f"{name}{year}{words[0]}{words[1]}")
    for c in candidates:
        if c.lower() not in taken:
            return c
    n = 2
    while f"{candidates[0]}{n}".lower() in taken:
        n += 1
    return f"{candidates[0]}{n}"


def _clean_pages(pages: str) -> str:
    return re.sub(r"\s*(?:-+|–|—|‐|‑)\s*", "–", pages.strip())  # en dash: written back as `--`


def normalise_entry(src: Source, info: SchemaInfo) -> NewSource:
    """One reference manager's entry in our conventions: our fields, our types, a bare DOI."""
    from ..cite.links import bare_doi, http_url

    fields: dict[str, str] = {}
    dropped: list[str] = []
    notes: list[str] = []
    raw = dict(src.fields)
    for old, new in RENAME.items():
        if old in raw and new not in raw:
            raw[new] = raw.pop(old)
    if "year" not in raw and raw.get("date"):
        m = _DATE.match(raw["date"].strip())
        if m:
            raw["year"] = m.group(1)
    for name, value in raw.items():
        value = " ".join(value.split())
        if name in KEEP_FIELDS and value:
            fields[name] = value
        else:
            dropped.append(name)
    m = re.fullmatch(r"Publisher: (.+)", fields.get("note", ""))
    if m:  # Zotero's "Extra" line for an article's publisher: a field, not a note
        del fields["note"]
        fields.setdefault("publisher", m.group(1).strip())
    if "pages" in fields:
        fields["pages"] = _clean_pages(fields["pages"])
    if "doi" in fields:
        doi = bare_doi(fields["doi"])
        if doi:
            fields["doi"] = doi
        else:
            notes.append(f"doi {fields['doi']!r} is not a DOI (10.xxxx/...): dropped")
            del fields["doi"]
    if "url" in fields:
        url = fields["url"]
        as_doi = bare_doi(url)
        if as_doi and not fields.get("doi"):
            fields["doi"] = as_doi
        if as_doi and as_doi.lower() == fields.get("doi", "").lower():
            del fields["url"]  # the DOI link says the same, and lasts longer
        elif not http_url(url):
            notes.append(f"url {url!r} is not an http(s) link: dropped")
            del fields["url"]
    for name in ("urldate", "onlinedate"):
        if name in fields:
            m = re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}", fields[name])
            if m:
                fields[name] = m.group(0)
            else:
                notes.append(f"{name} {fields[name]!r} is not a date (YYYY-MM-DD): dropped")
                del fields[name]
    if fields.get("title", "").endswith(".") and not fields["title"].endswith(".."):
        fields["title"] = fields["title"][:-1]
    entry_type = src.entry_type if src.entry_type in KEEP_TYPES else TYPE_MAP.get(src.entry_type, "misc")
    if entry_type != src.entry_type:
        notes.append(f"entry type @{src.entry_type} written as @{entry_type}")
    # our coding fields: checked when given, defaulted (and said so) when not
    defaulted = []
    for name, vname, many in CODING:
        default = _default(info, vname)
        if vname not in info.vocab:
            continue
        if name in fields:
            if many:
                fields[name] = ", ".join(check_terms(info.vocab[vname], [fields[name]], f"{src.key}: {name}"))
            else:
                fields[name] = check_term(info.vocab[vname], fields[name], f"{src.key}: {name}")
        elif default is not None:
            fields[name] = default
            defaulted.append(name)
    names = [("author", p.family + p.given) for p in src.authors + src.editors]
    for name, value in list(fields.items()) + names:
        if name not in VERBATIM_FIELDS and "\\" in value:
            found = re.search(r"\\[A-Za-z]+|\\.?", value)
            command = found.group() if found else "\\"
            raise ContributeError(f"entry {src.key!r}: {name} holds LaTeX we cannot read ({command}): "
                                  "write it in plain Unicode text")
    if not fields.get("title"):
        raise ContributeError(f"entry {src.key!r} has no title: every source needs one")
    if not fields.get("year"):
        raise ContributeError(f"entry {src.key!r} has no year: add year = {{n.d.}} and an incomplete = "
                              f"{{...}} "
                              "field saying what is missing if the work is undated")
    source = Source(key=src.key, entry_type=entry_type, fields=fields, authors=src.authors,
                    editors=src.editors,
                    position=Position("<new>"))
    return NewSource(source, src.key, tuple(sorted(set(dropped))), tuple(defaulted), notes)


def entry_text(src: Source) -> str:
    """BibTeX in the file's conventions, written by the same code as the site's exports."""
    from ..cite.formats import bibtex_entry

    text = bibtex_entry(src.key, src)
    # page ranges are written `--` (our parser reads them back as an en dash)
    return re.sub(r"^(  pages = \{)(.*)(\},?)$",
                  lambda m: m.group(1) + m.group(2).replace("–", "--") + m.group(3),
                  text, flags=re.M)


def _same(a: Source, b: Source) -> bool:
    return (a.entry_type == b.entry_type and dict(a.fields) == dict(b.fields)
            and a.authors == b.authors and a.editors == b.editors)


def read_input(name: str, stdin: TextIO | None = None) -> tuple[str, str]:
    """(text, label) of the entries given: a file, or standard input for '-'."""
    if name == "-":
        stream = stdin or sys.stdin
        if stdin is None and isatty(stream):
            print("Paste the BibTeX entries, then press Ctrl+D (Ctrl+Z then Enter on Windows):",
                  file=sys.stderr)
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        label = "standard input"
    else:
        label = name
        try:
            data = Path(name).read_bytes()
        except FileNotFoundError:
            raise ContributeError(f"{name}: no such file", 2) from None
        except OSError as exc:
            raise ContributeError(f"{name}: cannot read: {exc.strerror}", 2) from None
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ContributeError(f"{label} is not UTF-8: export it as UTF-8 (in Zotero: Export Format "
                                  "BibTeX, Character Encoding Unicode (UTF-8))") from None
    return data.replace("\r\n", "\n"), label


def plan_sources(text: str, label: str, existing: Mapping[str, Source], info: SchemaInfo,
                 key: str | None = None, prompter: Prompter | None = None,
                 coding: Mapping[str, str] | None = None) -> list[NewSource]:
    """Parse, normalise, key and de-duplicate the given entries. Raises before anything is written.

    `coding` holds study facts given on the command line (design, country, setting, schemes):
    they replace the entry's own, and are checked against the vocabularies like them."""
    from ..parsers.bibtex import parse_bibtex_text

    given, problems = parse_bibtex_text(text, label)
    if problems:
        lines = "\n".join(f"  {label}:{p.position.line}: {p.message}" for p in problems)
        raise ContributeError(f"cannot read the BibTeX in {label}:\n{lines}")
    if not given:
        raise ContributeError(f"no BibTeX entry found in {label} (an entry starts with @article{{..., "
                              f"@book{{... )")
    if key and len(given) > 1:
        raise ContributeError(f"--key works with one entry; {label} holds {len(given)}", 2)
    planned: list[NewSource] = []
    taken = {k.lower() for k in existing}
    duplicates = []
    for src in given.values():
        if coding:
            src = replace(src, fields={**src.fields, **coding})
        if prompter is not None:
            src = _ask_coding(src, info, prompter)
        new = normalise_entry(src, info)
        dup = find_duplicate(new.source, existing)
        if dup:
            duplicates.append(f"{src.key!r} ({new.source.title}, {new.source.year}) is already in "
                              "references.bib "
                              f"as {dup[0]!r}: {dup[1]}")
            continue
        dup = find_duplicate(new.source, {p.given_key: p.source for p in planned})
        if dup:
            duplicates.append(f"{src.key!r} repeats {dup[0]!r} in {label}: {dup[1]}")
            continue
        if key:
            if not info.source_key_pattern().match(key):
                raise ContributeError(f"--key {key!r} is not a BibTeX key (letters, digits and _:.+- only)",
                                      2)
            if key.lower() in taken:
                raise ContributeError(f"--key {key!r} is already used in references.bib")
            chosen = key
        elif OUR_KEY.match(src.key) and src.key.lower() not in taken:
            chosen = src.key
        else:
            chosen = make_key(new.source, taken)
        taken.add(chosen.lower())
        new.source = replace(new.source, key=chosen)
        planned.append(new)
    if duplicates:
        raise ContributeError("refused, nothing was written:\n" + "\n".join(f"  {d}" for d in duplicates))
    return planned


def _ask_coding(src: Source, info: SchemaInfo, ask: Prompter) -> Source:
    """At a terminal, ask for the coding fields the entry lacks (Enter keeps the default)."""
    fields = dict(src.fields)
    asked = False
    for name, vname, many in CODING:
        default = _default(info, vname)
        if name in fields or default is None or vname not in info.vocab:
            continue
        if not asked:
            ask.say(f"\n{src.key}: {src.title} ({src.year})")
            asked = True
        picks = ask.choose(info.vocab[vname], name.capitalize(), many=many, default=default)
        fields[name] = ", ".join(picks)
    return replace(src, fields=fields) if asked else src


def append_entries(bib: Path, entries: Sequence[str], expected: Mapping[str, Source], rel: str) -> int:
    """Append to the bibliography atomically: the old text stays byte for byte, or nothing changes.

    Returns the line the first new entry starts on.
    """
    from ..parsers.bibtex import parse_bibtex_text

    old = bib.read_bytes() if bib.exists() else b""
    try:
        old_text = old.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContributeError(f"{rel} is not UTF-8: fix it first (`evidence check` shows where)") from None
    newline = "\r\n" if b"\r\n" in old else "\n"
    text = old_text.replace("\r\n", "\n")
    # one blank line between the old text and the first new entry, whatever the file ended with
    joiner = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    addition = joiner + "\n".join(entries)
    # read the whole result back: the new entries as meant, and no new problem anywhere
    _old_sources, old_problems = parse_bibtex_text(text, rel)
    sources, problems = parse_bibtex_text(text + addition, rel)
    if len(problems) > len(old_problems):
        raise ContributeError("internal error: the new entries would not read back cleanly; nothing was "
                              "written")
    for key, want in expected.items():
        got = sources.get(key)
        if got is None or not _same(got, want):
            raise ContributeError(f"internal error: entry {key!r} would not read back as written; nothing "
                                  "was written")
    data = old + addition.replace("\n", newline).encode("utf-8")
    first_line = text.count("\n") + joiner.count("\n") + 1
    _atomic_write(bib, data, old, rel)
    return first_line


def _atomic_write(path: Path, data: bytes, expected_old: bytes, rel: str) -> None:
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
            if path.read_bytes() != expected_old:
                raise ContributeError(f"{rel} changed while the entries were being added; nothing was "
                                      "written: "
                                      "run the command again")
        os.replace(tmp, path)
    except ContributeError:
        _remove(tmp)
        raise
    except OSError as exc:
        _remove(tmp)
        raise ContributeError(f"cannot write {rel}: {exc.strerror or exc}; it was left as it was") from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def add_sources(options: AddSourceOptions, project: Project, prompter: Prompter | None = None,
                out: TextIO | None = None,
                err: TextIO | None = None, stdin: TextIO | None = None) -> int:
    """`evidence add-source`: append the entries of `options.file`, normalised, to references.bib."""
    out, err = out or sys.stdout, err or sys.stderr
    info = load_schema_info(project)
    if options.doi:
        from .doi import bibtex_from_csl, fetch_csl, normalise_doi

        if options.file not in (None, "-"):
            raise ContributeError("give either a file or --doi, not both", 2)
        doi = normalise_doi(options.doi)
        text, label = bibtex_from_csl(fetch_csl(doi, options.resolver, options.timeout), doi), f"DOI {doi}"
    else:
        text, label = read_input(options.file, stdin)
    existing = load_bibliography(project)
    from_file_or_doi = options.file != "-" or bool(options.doi)
    if prompter is None and from_file_or_doi and not options.dry_run and is_interactive(options.no_input):
        prompter = Prompter(out=err)
    coding = {name: ", ".join(values) if isinstance(values, (list, tuple)) else values
              for name in ("design", "country", "setting", "schemes")
              if (values := getattr(options, name, None))}
    planned = plan_sources(text, label, existing, info, key=options.key, prompter=prompter, coding=coding)
    entries = [entry_text(p.source) for p in planned]
    for p, entry in zip(planned, entries, strict=True):
        from ..parsers.bibtex import parse_bibtex_text

        back, problems = parse_bibtex_text(entry, "<new>")
        if problems or p.source.key not in back or not _same(back[p.source.key], p.source):
            raise ContributeError(f"internal error: entry {p.source.key!r} would not read back as written; "
                                  "nothing was written")
    rel = project.relative(project.bib_path)
    if options.dry_run:
        out.write("\n".join(entries))
        _notes(planned, err, written=False)
        return 0
    line = append_entries(project.bib_path, entries, {p.source.key: p.source for p in planned}, rel)
    _notes(planned, err, written=True, rel=rel, line=line)
    for p in planned:
        print(p.source.key, file=out)
    return 0


def _notes(planned: Sequence[NewSource], err: TextIO, written: bool, rel: str = "references.bib",
           line: int = 0) -> None:
    for p in planned:
        key = p.source.key
        if written:
            head = f"{key}: added to {rel}" + (f" (line {line})" if line and p is planned[0] else "")
        else:
            head = f"{key}: not written (--dry-run)"
        print(head, file=err)
        if key != p.given_key:
            print(f"  key {p.given_key!r} renamed {key!r} "
                  "(our convention: surname + year + first title word)", file=err)
        if p.dropped:
            print(f"  dropped fields we do not keep: {', '.join(p.dropped)}"
                  + (" (abstracts are the publisher's text)" if "abstract" in p.dropped else ""), file=err)
        for note in p.notes:
            print(f"  {note}", file=err)
        if p.defaulted:
            values = ", ".join(f"{n} = {{{p.source.fields[n]}}}" for n in p.defaulted)
            print(f"  set {values}: replace them with what the work says (the allowed values are in "
                  "claims/claim.schema.json)", file=err)


