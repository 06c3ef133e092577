"""Binary inputs told by their bytes, not their names: PDF, Word .docx, and the binary office formats
this project cannot read (.doc, .wps, .xls …), which fail with a hint on how to convert them."""
from __future__ import annotations

import hashlib
import io
import zipfile

from xxgk.parsers.clean import clean_text, to_simplified
from xxgk.parsers.document import Block, Document, RawDoc, StageError

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File Binary: .doc, .wps, .xls, .ppt, .et
CONVERT_HINT = "convert it to .docx or .pdf first, e.g. `soffice --headless --convert-to docx FILE`"


def binary_kind(data: bytes) -> str | None:
    """"pdf", "docx", "office" (an unreadable binary office file), "zip" (another zip archive) or None (text)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(_OLE) or data.startswith(b"{\\rtf"):
        return "office"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "zip"
        return "docx" if "word/document.xml" in names else "zip"
    return None


def parse_binary(raw: RawDoc, kind: str) -> Document:
    """A PDF or .docx as a Document; other binary formats raise StageError('parse') saying what to do."""
    if kind == "pdf":
        from xxgk.parsers.pdf import parse_pdf

        title, blocks, meta = parse_pdf(raw.data)
        encoding = "pdf"
    elif kind == "docx":
        from xxgk.parsers.docx import parse_docx

        title, blocks, meta = parse_docx(raw.data)
        encoding = "docx"
    elif kind == "office":
        raise StageError("parse", f"unsupported format: a binary office file (.doc/.wps/.xls/.rtf); {CONVERT_HINT}")
    else:
        raise StageError("parse", f"unsupported format: a zip archive that is not a .docx; {CONVERT_HINT}")
    if not blocks:
        raise StageError("parse", f"no text: the {kind} file has no readable body")
    blocks, converted = _cleaned(blocks)
    return Document(source=raw.source, report_id=hashlib.sha256(raw.data).hexdigest(), encoding=encoding,
                    converted_traditional=converted, title=_cleaned_text(title, converted), blocks=blocks,
                    page_meta=meta)


def _cleaned_text(text: str, converted: bool) -> str:
    text = clean_text(text)
    return to_simplified(text)[0] if converted else text


def _cleaned(blocks: list[Block]) -> tuple[list[Block], bool]:
    """Blocks with the text clean-ups of the HTML path; Traditional → Simplified when the whole text is."""
    _, converted = to_simplified(clean_text("\n".join(b.text for b in blocks)))
    for block in blocks:
        block.text = _cleaned_text(block.text, converted)
        if block.rows is not None:
            block.rows = [[_cleaned_text(cell, converted) for cell in row] for row in block.rows]
    return blocks, converted
