"""What PDF/UA-1 (ISO 14289-1) asks of a tagged PDF, checked with pypdf: the catalog and
metadata, the structure tree (standard types, nesting, headings, figures, tables, captions),
annotations (tagged, described, tab order) and embedded fonts. `problems(pdf_bytes)` lists
every requirement a file misses, in words; an empty list means it passes these checks.

These are the machine-checkable parts (the Matterhorn protocol's), not a human's reading
order or alt text quality review."""

import io
import re

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    IndirectObject,
    NumberObject,
)

# ISO 32000-1 14.8.4 standard structure types.
STANDARD_TYPES = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index",
    "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl",
    "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note",
    "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT", "RP", "Warichu",
    "WT", "WP", "Figure", "Formula", "Form",
}  # fmt: skip
# Where a structure element may sit (its parent's type), for the types with rules.
PARENTS = {
    "TR": {"Table", "THead", "TBody", "TFoot"},
    "TH": {"TR"},
    "TD": {"TR"},
    "THead": {"Table"},
    "TBody": {"Table"},
    "TFoot": {"Table"},
    "LI": {"L"},
    "Lbl": {"LI"},
    "LBody": {"LI"},
    "Caption": {"Table", "Figure", "L"},
    "TOCI": {"TOC"},
}


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _name(element) -> str:
    return str(element.get("/S", ""))[1:]


def _kids(element) -> list:
    kids = _resolve(element.get("/K"))
    if kids is None:
        return []
    return [_resolve(k) for k in (kids if isinstance(kids, ArrayObject) else [kids])]


class _Checker:
    def __init__(self, content: bytes) -> None:
        self.reader = PdfReader(io.BytesIO(content))
        self.root = self.reader.trailer["/Root"]
        self.found: list[str] = []
        self.role_map = {}

    def problem(self, text: str) -> None:
        if text not in self.found:
            self.found.append(text)

    def run(self) -> list[str]:
        self.catalog()
        tree = _resolve(self.root.get("/StructTreeRoot"))
        if tree is None:
            self.problem("no structure tree (the PDF is not tagged)")
            return self.found
        self.role_map = {
            str(k)[1:]: str(v)[1:] for k, v in (_resolve(tree.get("/RoleMap")) or {}).items()
        }
        self.headings: list[int] = []
        self.struct_of_annotation: dict[int, str] = {}
        for kid in _kids(tree):
            self.element(kid, parent="")
        self.heading_levels()
        self.pages(tree)
        self.fonts()
        return self.found

    @staticmethod
    def _true(value) -> bool:
        return value is not None and value == BooleanObject(True)

    def catalog(self) -> None:
        mark = _resolve(self.root.get("/MarkInfo")) or {}
        if not self._true(mark.get("/Marked")):
            self.problem("catalog: /MarkInfo /Marked is not true")
        if not str(self.root.get("/Lang", "")).strip():
            self.problem("catalog: no /Lang")
        preferences = _resolve(self.root.get("/ViewerPreferences")) or {}
        if not self._true(preferences.get("/DisplayDocTitle")):
            self.problem("catalog: /ViewerPreferences /DisplayDocTitle is not true")
        metadata = self.reader.xmp_metadata
        xml = metadata.stream.get_data().decode("utf-8") if metadata else ""
        if not re.search(r'pdfuaid:part(="1"|>1<)', xml):
            self.problem("metadata: no pdfuaid:part 1 identification")
        if not re.search(r"<dc:title>.*?<rdf:li[^>]*>[^<]+</rdf:li>", xml, re.S):
            self.problem("metadata: no dc:title")

    def standard(self, name: str) -> str:
        seen = set()
        while name not in STANDARD_TYPES and name in self.role_map and name not in seen:
            seen.add(name)
            name = self.role_map[name]
        return name

    def element(self, element, *, parent: str) -> None:
        if not isinstance(element, DictionaryObject):
            return  # a marked-content id
        if element.get("/Type") in ("/MCR",):
            return
        if element.get("/Type") == "/OBJR":
            annotation = element.raw_get("/Obj")
            self.struct_of_annotation[annotation.idnum] = parent
            return
        name = self.standard(_name(element))
        if name not in STANDARD_TYPES:
            self.problem(f"structure type /{_name(element)} is neither standard nor role-mapped")
        allowed = PARENTS.get(name)
        if allowed and parent not in allowed:
            self.problem(f"/{name} inside /{parent or 'the root'} (allowed in {sorted(allowed)})")
        if name == "Figure" and not str(element.get("/Alt", "")).strip():
            self.problem("a /Figure without /Alt text")
        if re.fullmatch(r"H[1-6]", name):
            self.headings.append(int(name[1]))
        kids = _kids(element)
        if name == "Table":
            self.table(element, kids)
        if name == "BlockQuote":
            inline = {"Span", "Link", "Quote"}
            if any(isinstance(k, DictionaryObject) and _name(k) in inline for k in kids):
                self.problem("/BlockQuote holding inline elements directly")
        for kid in kids:
            self.element(kid, parent=name)

    def table(self, table, kids) -> None:
        captions = [
            i
            for i, k in enumerate(kids)
            if isinstance(k, DictionaryObject) and _name(k) == "Caption"
        ]
        if any(i not in (0, len(kids) - 1) for i in captions):
            self.problem("a table /Caption that is neither the first nor the last child")
        cells = []

        def collect(element):
            for kid in _kids(element):
                if isinstance(kid, DictionaryObject) and _name(kid) in {"TH", "TD"}:
                    cells.append(kid)
                elif isinstance(kid, DictionaryObject) and _name(kid) not in {"Table"}:
                    collect(kid)

        collect(table)
        headers = [c for c in cells if _name(c) == "TH"]
        if not headers:
            return
        for cell in cells:
            attributes = _resolve(cell.get("/A")) or {}
            if (
                _name(cell) == "TD"
                and not attributes.get("/Headers")
                and not any((_resolve(h.get("/A")) or {}).get("/Scope") for h in headers)
            ):
                self.problem("a /TD with no /Headers in a table whose /TH have no /Scope")

    def heading_levels(self) -> None:
        if self.headings and self.headings[0] != 1:
            self.problem(f"the first heading is /H{self.headings[0]}, not /H1")
        for before, after in zip(self.headings, self.headings[1:], strict=False):
            if after > before + 1:
                self.problem(f"heading levels skip from /H{before} to /H{after}")

    def pages(self, tree) -> None:
        numbers = (_resolve(tree.get("/ParentTree")) or {}).get("/Nums", [])
        parent_tree = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
        for page_number, page in enumerate(self.reader.pages, start=1):
            if "/StructParents" in page and int(page["/StructParents"]) not in parent_tree:
                self.problem(f"page {page_number}: /StructParents not in the parent tree")
            annotations = [_resolve(a) for a in page.get("/Annots", []) or []]
            if annotations and page.get("/Tabs") != "/S":
                self.problem(f"page {page_number}: annotations without /Tabs /S")
            for reference, annotation in zip(page.get("/Annots", []), annotations, strict=True):
                self.annotation(page_number, reference, annotation, parent_tree)

    def annotation(self, page_number, reference, annotation, parent_tree) -> None:
        subtype = str(annotation.get("/Subtype", ""))[1:]
        if subtype in {"Popup"}:
            return
        if "/StructParent" not in annotation or not isinstance(
            annotation["/StructParent"], NumberObject | int
        ):
            self.problem(f"page {page_number}: a /{subtype} annotation without /StructParent")
        elif int(annotation["/StructParent"]) not in parent_tree:
            self.problem(f"page {page_number}: a /{subtype} annotation outside the parent tree")
        tagged_in = self.struct_of_annotation.get(reference.idnum)
        expected = {"Link": "Link", "Widget": "Form"}.get(subtype, "Annot")
        if tagged_in != expected:
            self.problem(
                f"page {page_number}: a /{subtype} annotation tagged in /{tagged_in} "
                f"(expected /{expected})"
            )
        if subtype == "Link":
            contents = str(annotation.get("/Contents", "")).strip()
            action = _resolve(annotation.get("/A")) or {}
            uri = str(action.get("/URI", ""))
            if not contents:
                self.problem(f"page {page_number}: a link without /Contents (7.18.5)")
            elif uri and contents == uri:
                self.problem(f"page {page_number}: a link whose /Contents is only its address")

    def fonts(self) -> None:
        for page_number, page in enumerate(self.reader.pages, start=1):
            resources = _resolve(page.get("/Resources")) or {}
            for font in (_resolve(resources.get("/Font")) or {}).values():
                font = _resolve(font)
                descendants = [_resolve(d) for d in font.get("/DescendantFonts", [])] or [font]
                for each in descendants:
                    descriptor = _resolve(each.get("/FontDescriptor")) or {}
                    if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                        self.problem(
                            f"page {page_number}: font {each.get('/BaseFont')} is not embedded"
                        )


def problems(content: bytes) -> list[str]:
    return _Checker(content).run()
