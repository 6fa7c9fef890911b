"""Document → chunks of whole sentences, sized in tiktoken tokens, with exact spans."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from rag.text import encoding, sentence_spans
from rag.types import Chunk, Document, chunk_id, version_key


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    tokens: int


def chunk_document(document: Document, chunk_tokens: int, overlap_tokens: int) -> list[Chunk]:
    """Pack whole sentences into chunks of at most `chunk_tokens` tokens (a longer sentence is
    cut at token boundaries); consecutive chunks share up to `overlap_tokens` of sentences."""
    text = document.text
    pieces: list[_Piece] = []
    for start, end in sentence_spans(text, document.body_start):
        pieces.extend(_fit(text, start, end, chunk_tokens))
    spans: list[tuple[int, int]] = []
    first = 0
    while first < len(pieces):
        last, total = first, pieces[first].tokens
        while last + 1 < len(pieces) and total + pieces[last + 1].tokens <= chunk_tokens:
            last += 1
            total += pieces[last].tokens
        spans.append((pieces[first].start, pieces[last].end))
        if last + 1 >= len(pieces):
            break
        following, carried = last + 1, 0
        while following - 1 > first and carried + pieces[following - 1].tokens <= overlap_tokens:
            following -= 1
            carried += pieces[following].tokens
        first = following
    prefix = chunk_prefix(document)
    return [
        Chunk(
            chunk_id=chunk_id(prefix, index),
            source=document.source,
            title=document.title,
            start_char=start,
            end_char=end,
            text=text[start:end],
            content_hash=document.content_hash,
            page=document.page_at(start),
        )
        for index, (start, end) in enumerate(spans)
    ]


def chunk_prefix(document: Document) -> str:
    """Chunk ids name the document and its version, so a new version never reuses an id."""
    return version_key(document.source, document.content_hash)


def _fit(text: str, start: int, end: int, limit: int) -> list[_Piece]:
    """One sentence as pieces of at most `limit` tokens, cut where a token starts."""
    sentence = text[start:end]
    tokens = encoding().encode(sentence, disallowed_special=())
    if len(tokens) <= limit:
        return [_Piece(start, end, len(tokens))]
    decoded, offsets = encoding().decode_with_offsets(tokens)
    if decoded != sentence:  # a character split across tokens: cut by characters instead
        offsets = [round(i * len(sentence) / len(tokens)) for i in range(len(tokens))]
    cuts = [start + offsets[i] for i in range(0, len(tokens), limit)] + [end]
    pieces = []
    for index, (piece_start, piece_end) in enumerate(itertools.pairwise(cuts)):
        while piece_start < piece_end and text[piece_start].isspace():
            piece_start += 1
        while piece_end > piece_start and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > piece_start:
            count = min(limit, len(tokens) - index * limit)
            pieces.append(_Piece(piece_start, piece_end, count))
    return pieces
