#!/usr/bin/env python3
"""Writes the seed corpus of fuzz/cbor_reader_fuzzer.cc into
fuzz/corpus/cbor_reader/: a few valid documents (a nested map, field vectors,
a proof envelope) and one invalid input per rejection class of
docs/FORMAT.md §1. Run from anywhere; it overwrites the files it names."""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "cbor_reader")
P = 2**64 - 2**32 + 1


def head(major, arg):
    """Shortest CBOR header (RFC 8949 §3), written independently of the C++ writer."""
    if arg < 24:
        return bytes([major << 5 | arg])
    for ai, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if arg < 256 ** struct.calcsize(fmt):
            return bytes([major << 5 | ai]) + struct.pack(fmt, arg)
    raise ValueError(arg)


def uint(v): return head(0, v)
def neg(v): return head(1, -1 - v)
def bstr(b): return head(2, len(b)) + b
def tstr(s): return head(3, len(s.encode())) + s.encode()
def array(items): return head(4, len(items)) + b"".join(items)
def cmap(pairs): return head(5, len(pairs)) + b"".join(uint(k) + v for k, v in sorted(pairs.items()))


def goldilocks_vector(values): return bstr(b"".join(struct.pack("<Q", v) for v in values))


statement = cmap({1: tstr("fashion-mnist-mlp"), 2: bstr(bytes(range(32))), 3: array([uint(784), uint(128), uint(10)]),
                  4: cmap({1: b"\xf5", 2: neg(-5)})})
segment0 = cmap({0: uint(0), 1: goldilocks_vector([0, 1, P - 1])})
segment1 = cmap({0: uint(1), 1: goldilocks_vector([7] * 6)})
envelope = cmap({1: uint(1), 2: uint(1), 3: statement, 4: array([bstr(segment0), bstr(segment1)])})

corpus = {
    # Valid.
    "valid_uint_max": uint(2**64 - 1),
    "valid_nested": cmap({0: tstr("zkpot \u2713"), 1: array([cmap({1: bstr(b"\xde\xad"), 300: neg(-70000)}),
                                                             array([]), array([b"\xf4", cmap({})])]),
                          24: neg(-1)}),
    "valid_field_vector_gl": goldilocks_vector([0, 1, 2**32, P - 1]),
    "valid_field_vector_ext3": goldilocks_vector([1, 2, 3, P - 1, 0, 5]),
    "valid_envelope": envelope,
    "valid_envelope_no_segments": cmap({1: uint(1), 2: uint(1), 3: statement, 4: array([])}),
    # Invalid, one per class.
    "bad_non_shortest_uint": b"\x19\x00\xff",
    "bad_non_shortest_length": b"\x58\x01\xaa",
    "bad_indefinite_array": b"\x9f\x01\x02\xff",
    "bad_indefinite_bytes": b"\x5f\x41\x00\xff",
    "bad_duplicate_key": b"\xa2\x01\x00\x01\x00",
    "bad_unsorted_keys": b"\xa2\x02\x00\x01\x00",
    "bad_text_key": b"\xa1\x61\x61\x00",
    "bad_trailing": envelope + b"\x00",
    "bad_truncated_envelope": envelope[:-3],
    "bad_depth_bomb": b"\x81" * 64 + b"\x00",
    "bad_huge_length": b"\x5b" + b"\xff" * 8 + b"\x00",
    "bad_huge_array": b"\x9b" + b"\xff" * 8,
    "bad_tag": b"\xc2\x41\x01",
    "bad_float": b"\xfb\x3f\xf1\x99\x99\x99\x99\x99\x9a",
    "bad_null": b"\xf6",
    "bad_utf8": b"\x62\xc0\x80",
    "bad_field_element": bstr(struct.pack("<Q", P)),
    "bad_envelope_version": cmap({1: uint(2), 2: uint(1), 3: statement, 4: array([])}),
    "bad_envelope_suite": cmap({1: uint(1), 2: uint(9), 3: statement, 4: array([])}),
    "bad_segment_too_large": cmap({1: uint(1), 2: uint(1), 3: statement, 4: array([])})[:-1] + b"\x81\x5a\x00\x20\x00\x01",
}

os.makedirs(OUT, exist_ok=True)
for name, data in corpus.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
print(f"wrote {len(corpus)} files to {OUT}")
