#!/usr/bin/env python3
"""Writes the libFuzzer seed corpora from test-vectors.json (standard library only).

  seed_corpus.py VECTORS OUTDIR

OUTDIR/chip gets the wire bytes of every request frame of the vectors (one file each, behind the
fuzz_chip chunking byte), plus one file holding a whole session: HELLO, dataset upload,
EVALUATE, UPDATE, READ_WEIGHTS in a row. OUTDIR/decoders gets every payload of the vectors,
behind the selector byte of the matching decoder of fuzz_decoders.c. Starting from valid frames
lets the fuzzer reach the dispatcher and backend in seconds instead of discovering the CRC.
"""
import json
import os
import sys

# fuzz_decoders.c selector for (message, direction)
DECODER = {
    ("HELLO", "request"): 0, ("HELLO", "reply"): 1, ("EVALUATE", "request"): 2,
    ("EVALUATE", "reply"): 3, ("UPDATE", "request"): 4, ("UPDATE", "reply"): 5,
    ("STATS", "reply"): 6, ("WRITE_WEIGHTS", "request"): 7, ("READ_WEIGHTS", "reply"): 7,
    ("READ_WEIGHTS", "request"): 8, ("DATA_DEFINE", "request"): 9,
    ("DATA_WRITE", "request"): 10, ("BASIS_WRITE", "request"): 11, ("ERROR", "reply"): 12,
}


def main():
    vectors, out = sys.argv[1], sys.argv[2]
    v = json.load(open(vectors))
    chip, dec = os.path.join(out, "chip"), os.path.join(out, "decoders")
    os.makedirs(chip, exist_ok=True)
    os.makedirs(dec, exist_ok=True)
    session = b""
    for i, f in enumerate(v["frames"]):
        wire = bytes.fromhex(f["wire"])
        if f["direction"] == "request":
            for step in (0, 255):  # byte at a time, and in big chunks
                open(os.path.join(chip, "frame-%03d-%d" % (i, step)), "wb").write(bytes([step]) + wire)
            session += wire
        key = (f["message"], f["direction"])
        if key in DECODER:
            open(os.path.join(dec, "payload-%03d" % i), "wb").write(bytes([DECODER[key]]) + bytes.fromhex(f["payload"]))
    for s in v.get("chip_sessions", []):
        for step in (0, 255):
            wire = b"".join(bytes.fromhex(x["request_wire"]) for x in s["exchanges"])
            open(os.path.join(chip, "session-%s-%d" % (s["name"].replace(" ", "_"), step)), "wb").write(bytes([step]) + wire)
    open(os.path.join(chip, "all-requests"), "wb").write(bytes([63]) + session)


if __name__ == "__main__":
    main()
