"""Links in manifests (the "links" list): soft, hard and external links.

check.py calls in here to parse them, to say what each reader should see at
each path (a reader that follows a link to a group walks that group's
members again under the link's name), to check the link values with h5py,
and to make the same links in the h5py twin. Schema: README.md ("links").

What the readers do with links (their own code):
- h5py lists soft and external links as such (`getlink=True`); hard links
  are the object itself.
- pyfive 1.3 and jsfive follow soft links (a dangling one reads as None /
  null: pyfive high_level.py `Group.__getitem__`, jsfive esm/high-level.js
  `Group.get`) but cannot read a group holding an external link: both assert
  the link type is 0 or 1 (pyfive dataobjects.py `_get_link_from_link_msg`,
  `assert link_type in [0, 1]`; jsfive esm/dataobjects.js line 523).
- h5wasm (libhdf5) follows soft links (a dangling one is a BrokenSoftLink)
  and external links whose file it finds (else an ExternalLink object); the
  manifests name files that do not exist.
"""
from dataclasses import dataclass
from typing import Any, Optional

KINDS = ("soft", "hard", "external")

# What each reader's walker records for a link it does not follow to an object.
DANGLING = {"pyfive": "NoneType", "jsfive": "unresolved link", "h5wasm": "BrokenSoftLink"}
EXTERNAL_NA = {
    "pyfive": "pyfive asserts the link type is 0 or 1 (pyfive/dataobjects.py "
              "_get_link_from_link_msg), so it cannot read a group holding an external link",
    "jsfive": "jsfive asserts the link type is 0 or 1 (jsfive/esm/dataobjects.js "
              "_get_link_from_link_msg), so it cannot read a group holding an external link",
}


@dataclass
class Link:
    path: str  # relative to the root, no leading '/'
    kind: str  # "soft" | "hard" | "external"
    target: str  # as given (soft: absolute or relative to the link's group)
    file: Optional[str] = None  # external links only


def load(raw: Any, kinds: dict, error) -> list:
    """Parses the manifest's "links" (kinds: object path -> kind, updated
    with each link's path); raises `error` (ManifestError) when invalid."""
    if not isinstance(raw, list):
        raise error("'links' must be a list")
    out = []
    for k, l in enumerate(raw):
        where = f"links[{k}]"
        if not isinstance(l, dict) or not set(l) <= {"path", "kind", "target", "file"}:
            raise error(f"{where}: an object with path, kind, target (and file)")
        p, kind, target, file = l.get("path"), l.get("kind"), l.get("target"), l.get("file")
        if not isinstance(p, str) or not p or any(c in ("", ".", "..") for c in p.split("/")):
            raise error(f"{where}: path must be 'a/b/c'")
        if kind not in KINDS:
            raise error(f"{where}: kind must be one of {KINDS}")
        if not isinstance(target, str) or not target:
            raise error(f"{where}: target must be a non-empty string")
        if (kind == "external") != isinstance(file, str):
            raise error(f"{where}: 'file' is given for (and only for) external links")
        if p in kinds:
            raise error(f"{where}: {p!r} listed twice")
        if kinds.get(p.rpartition("/")[0]) != "group":
            raise error(f"{where}: the parent of {p!r} is not a group listed before it")
        kinds[p] = "link"
        out.append(Link(p, kind, target, file))
    return out


def _join(group: str, target: str) -> str:
    """The root-relative path `target` names from `group`."""
    base = [] if target.startswith("/") else [c for c in group.split("/") if c]
    return "/".join(base + [c for c in target.split("/") if c and c != "."])


def resolve(sc, path: str, hops: int = 0) -> Optional[str]:
    """The object path `path` (root-relative) leads to through the
    manifest's links, or None (missing, dangling, external, a loop)."""
    objects = {o.path for o in sc.objects} | {""}
    links = {l.path: l for l in sc.links}
    at = ""
    for c in [c for c in path.split("/") if c]:
        p = f"{at}/{c}" if at else c
        if p in objects:
            at = p
            continue
        l = links.get(p)
        if l is None or l.kind == "external" or hops > 16:
            return None
        t = resolve(sc, _join(at, l.target) if l.kind == "soft" else l.target, hops + 1)
        if t is None:
            return None
        at = t
    return at


def _kind(sc, path: str) -> str:
    return "group" if path == "" else next(o.kind for o in sc.objects if o.path == path)


def expected(sc, reader: str) -> tuple:
    """(path -> kind, group path -> member names) that `reader`'s walker
    should find, links included."""
    want = {o.path: o.kind for o in sc.objects}
    members = sc.members()
    aliases = []
    for l in sc.links:
        followed = None
        if l.kind == "hard":
            followed = resolve(sc, l.target)
        elif l.kind == "soft" and reader != "h5py":
            followed = resolve(sc, _join(l.path.rpartition("/")[0], l.target))
        if followed is not None:
            want[l.path] = _kind(sc, followed)
            if want[l.path] == "group":
                aliases.append((l.path, followed))
        elif l.kind == "soft":
            want[l.path] = "SoftLink" if reader == "h5py" else DANGLING[reader]
        else:
            want[l.path] = "ExternalLink"
    for _ in range(8):  # links to groups holding links to groups ...
        for alias, group in aliases:
            for p, k in list(want.items()):
                if p.startswith(group + "/") and p != alias:
                    want.setdefault(alias + p[len(group):], k)
            for g, names in list(members.items()):
                if g == group or g.startswith(group + "/"):
                    members.setdefault(alias + g[len(group):], names)
    return want, members


def not_applicable(sc, reader: str) -> Optional[str]:
    """Why `reader` cannot read this scenario's links at all, if it cannot."""
    if reader in EXTERNAL_NA and any(l.kind == "external" for l in sc.links):
        return EXTERNAL_NA[reader]
    return None


def h5py_problems(sc, f, h5py) -> list:
    """The link values as h5py reads them: a SoftLink's path, an
    ExternalLink's file and path, and a hard link's object (the same object
    as its target's, two names in its reference count)."""
    problems = []
    for l in sc.links:
        parent, _, name = l.path.rpartition("/")
        try:
            got = (f[parent] if parent else f).get(name, getlink=True)
        except Exception as e:
            problems.append(f"link {l.path!r}: {type(e).__name__}: {e}")
            continue
        if l.kind == "soft":
            if not isinstance(got, h5py.SoftLink) or got.path != l.target:
                problems.append(f"link {l.path!r}: {got!r}, expected SoftLink({l.target!r})")
        elif l.kind == "external":
            if (not isinstance(got, h5py.ExternalLink) or got.filename != l.file
                    or got.path != l.target):
                problems.append(f"link {l.path!r}: {got!r}, expected ExternalLink({l.file!r}, {l.target!r})")
        else:
            if not isinstance(got, h5py.HardLink):
                problems.append(f"link {l.path!r}: {got!r}, expected a hard link")
                continue
            a, b = f[l.path], f[l.target]
            if a != b:  # h5py compares the objects' file and address token
                problems.append(f"hard link {l.path!r} is not the object at {l.target!r}")
            names = 1 + sum(1 for m in sc.links if m.kind == "hard" and resolve(sc, m.target) == resolve(sc, l.target))
            rc = h5py.h5o.get_info(b.id).rc
            if rc != names:
                problems.append(f"{l.target!r}: reference count {rc}, expected {names} (its names)")
    return problems


def twin(sc, f, h5py) -> None:
    """Makes the manifest's links in the h5py twin `f`, after its objects."""
    for l in sc.links:
        parent = l.path.rpartition("/")[0]
        if parent:
            f.require_group(parent)
        if l.kind == "soft":
            f[l.path] = h5py.SoftLink(l.target)
        elif l.kind == "external":
            f[l.path] = h5py.ExternalLink(l.file, l.target)
        else:
            f[l.path] = f[l.target]
